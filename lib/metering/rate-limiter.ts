/**
 * Request-rate and concurrency limits behind one interface: in-process by default, Redis when REDIS_URL is set,
 * so that N instances enforce one limit rather than N× the limit.
 */
import type { Redis } from "ioredis";

export interface WindowResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Epoch ms when the current window ends. */
  resetAt: number;
}

export interface RateLimiter {
  /** Counts one request against `limit` per fixed window of `windowMs`. Refused requests don't count. */
  consume(key: string, limit: number, windowMs: number): Promise<WindowResult>;
  /** Takes one of `max` concurrent slots; returns a release function, or null when all are taken. */
  acquire(key: string, max: number, ttlMs: number): Promise<(() => Promise<void>) | null>;
}

export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private readonly slots = new Map<string, number>();

  async consume(key: string, limit: number, windowMs: number): Promise<WindowResult> {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now - (now % windowMs) + windowMs };
      this.windows.set(key, w);
      if (this.windows.size > 100_000) for (const [k, v] of this.windows) if (v.resetAt <= now) this.windows.delete(k);
    }
    const allowed = w.count < limit;
    if (allowed) w.count++;
    return { allowed, limit, remaining: Math.max(0, limit - w.count), resetAt: w.resetAt };
  }

  async acquire(key: string, max: number): Promise<(() => Promise<void>) | null> {
    const n = this.slots.get(key) ?? 0;
    if (n >= max) return null;
    this.slots.set(key, n + 1);
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      const left = (this.slots.get(key) ?? 1) - 1;
      if (left <= 0) this.slots.delete(key);
      else this.slots.set(key, left);
    };
  }
}

// One round trip, atomic: count only when under the limit, and start the window's expiry on first use.
const CONSUME = `
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then ttl = tonumber(ARGV[2]) end
if n < tonumber(ARGV[1]) then
  n = redis.call('INCR', KEYS[1])
  if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
  return {1, n, ttl}
end
return {0, n, ttl}`;

// Concurrency slots as a sorted set of (token, expiry): expired tokens of crashed instances fall out by themselves.
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], ARGV[4], ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  return 1
end
return 0`;

export class RedisRateLimiter implements RateLimiter {
  constructor(private readonly redis: Redis, private readonly prefix = "pareto:") {}

  async consume(key: string, limit: number, windowMs: number): Promise<WindowResult> {
    const now = Date.now();
    const windowStart = now - (now % windowMs);
    const k = `${this.prefix}rl:${key}:${windowStart}`;
    const [allowed, count] = (await this.redis.eval(CONSUME, 1, k, String(limit), String(windowMs))) as [number, number, number];
    return { allowed: allowed === 1, limit, remaining: Math.max(0, limit - count), resetAt: windowStart + windowMs };
  }

  async acquire(key: string, max: number, ttlMs: number): Promise<(() => Promise<void>) | null> {
    const k = `${this.prefix}cc:${key}`;
    const token = `${process.pid}:${Math.random().toString(36).slice(2)}`;
    const now = Date.now();
    const ok = await this.redis.eval(ACQUIRE, 1, k, String(max), token, String(now), String(now + ttlMs), String(ttlMs * 2));
    if (ok !== 1) return null;
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      await this.redis.zrem(k, token).catch(() => undefined);
    };
  }
}
