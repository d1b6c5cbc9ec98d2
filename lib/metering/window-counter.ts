import type { Redis } from "ioredis";
import { redis } from "./redis";

/**
 * A fixed-window counter behind an interface, so the same policy code runs in-process (default) or on a shared
 * store when several instances serve one deployment.
 */
export interface WindowCounter {
  /** Adds `by` to the key's count in the current window and returns the new count and when the window resets. */
  hit(key: string, windowMs: number, by?: number): Promise<{ count: number; resetAt: number }>;
  peek(key: string, windowMs: number): Promise<{ count: number; resetAt: number }>;
  reset(key: string): Promise<void>;
}

export class MemoryWindowCounter implements WindowCounter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  private current(key: string, windowMs: number, now: number) {
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, w);
      if (this.windows.size > 50_000) this.sweep(now);
    }
    return w;
  }

  // Bounded memory: expired windows are dropped once the map grows.
  private sweep(now: number) {
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
  }

  async hit(key: string, windowMs: number, by = 1) {
    const w = this.current(key, windowMs, Date.now());
    w.count += by;
    return { ...w };
  }

  async peek(key: string, windowMs: number) {
    return { ...this.current(key, windowMs, Date.now()) };
  }

  async reset(key: string) {
    this.windows.delete(key);
  }
}

// INCRBY and start the expiry on the window's first hit, atomically; returns the count and the ms left.
const HIT = `
local n = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]); ttl = tonumber(ARGV[2]) end
return {n, ttl}`;

/** The same counter shared by every instance through Redis (REDIS_URL). */
export class RedisWindowCounter implements WindowCounter {
  constructor(private readonly redis: Redis, private readonly prefix = "pareto:wc:") {}

  async hit(key: string, windowMs: number, by = 1) {
    const [count, ttl] = (await this.redis.eval(HIT, 1, this.prefix + key, String(by), String(windowMs))) as [number, number];
    return { count, resetAt: Date.now() + ttl };
  }

  async peek(key: string, windowMs: number) {
    const [v, ttl] = await Promise.all([this.redis.get(this.prefix + key), this.redis.pttl(this.prefix + key)]);
    return { count: Number(v ?? 0), resetAt: Date.now() + (ttl > 0 ? ttl : windowMs) };
  }

  async reset(key: string) {
    await this.redis.del(this.prefix + key);
  }
}

const globalForCounter = globalThis as unknown as { __paretoCounter?: WindowCounter };

export function windowCounter(): WindowCounter {
  if (!globalForCounter.__paretoCounter) {
    const r = redis();
    globalForCounter.__paretoCounter = r ? new RedisWindowCounter(r) : new MemoryWindowCounter();
  }
  return globalForCounter.__paretoCounter;
}
