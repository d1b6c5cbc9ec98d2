import "server-only";
import { env } from "@/lib/config/env";
import { ServiceError } from "@/lib/models/errors";
import type { QuotaLimit } from "./quota";
import { MemoryRateLimiter, RedisRateLimiter, type RateLimiter, type WindowResult } from "./rate-limiter";
import { redis } from "./redis";

/** Who is calling, with the limits that apply: the plan's per user, and a key's own overrides on top. */
export interface Principal {
  via: "key" | "session";
  userId: string;
  email: string;
  role: "USER" | "ADMIN";
  plan: { name: string; requestsPerMinute: number; concurrentRequests: number; monthlyRequests: number; monthlyComputeMs: number };
  key?: {
    id: string;
    scopes: string[];
    requestsPerMinute: number | null;
    concurrentRequests: number | null;
    monthlyRequests: number | null;
    monthlyComputeMs: number | null;
  };
}

const g = globalThis as unknown as { __paretoLimiter?: RateLimiter };

export function limiter(): RateLimiter {
  if (!g.__paretoLimiter) {
    const r = redis();
    g.__paretoLimiter = r ? new RedisRateLimiter(r) : new MemoryRateLimiter();
  }
  return g.__paretoLimiter;
}

const MINUTE = 60_000;

export interface Admission {
  headers: Record<string, string>;
  release: () => Promise<void>;
}

function rateHeaders(w: WindowResult): Record<string, string> {
  return {
    "x-ratelimit-limit-requests": String(w.limit),
    "x-ratelimit-remaining-requests": String(w.remaining),
    "x-ratelimit-reset-requests": `${Math.max(0, Math.ceil((w.resetAt - Date.now()) / 1000))}s`,
  };
}

/**
 * Rate limit (requests/minute, per user and per key), then concurrency. The tighter window decides the headers.
 * Throws 429 `rate_limited` with Retry-After when either is exhausted.
 */
export async function admit(p: Principal): Promise<Admission> {
  const checks: { key: string; limit: number }[] = [{ key: `user:${p.userId}`, limit: p.plan.requestsPerMinute }];
  if (p.key?.requestsPerMinute != null) checks.push({ key: `key:${p.key.id}`, limit: p.key.requestsPerMinute });
  let tightest: WindowResult | undefined;
  for (const c of checks) {
    const w = await limiter().consume(`rpm:${c.key}`, c.limit, MINUTE);
    if (!tightest || w.remaining < tightest.remaining) tightest = w;
    if (!w.allowed) {
      const retry = Math.max(1, Math.ceil((w.resetAt - Date.now()) / 1000));
      throw new ServiceError("rate_limited", `Rate limit of ${c.limit} requests per minute reached for this ${c.key.startsWith("key") ? "key" : "account"}.`, {
        headers: { ...rateHeaders(w), "retry-after": String(retry) },
      });
    }
  }
  const headers = rateHeaders(tightest!);
  const releases: (() => Promise<void>)[] = [];
  const slots = [{ key: `user:${p.userId}`, max: p.plan.concurrentRequests }];
  if (p.key?.concurrentRequests != null) slots.push({ key: `key:${p.key.id}`, max: p.key.concurrentRequests });
  for (const s of slots) {
    const release = await limiter().acquire(`conc:${s.key}`, s.max, env.requestTimeoutMs() + 30_000);
    if (!release) {
      await Promise.all(releases.map((r) => r()));
      throw new ServiceError("rate_limited", `Too many concurrent requests: at most ${s.max} at a time for this ${s.key.startsWith("key") ? "key" : "account"}.`, {
        headers: { ...headers, "retry-after": "1" },
      });
    }
    releases.push(release);
  }
  return { headers, release: async () => void (await Promise.all(releases.map((r) => r()))) };
}

/**
 * Requests that fail authentication (no key, an unknown, revoked or expired one), per client address: up to
 * PARETO_UNAUTHENTICATED_REQUESTS_PER_MINUTE, then 429 with Retry-After. Only failures count, so a valid key is
 * never refused because someone at the same address guessed keys.
 */
export async function admitUnauthenticated(address: string): Promise<void> {
  const limit = env.unauthenticatedPerMinute();
  const w = await limiter().consume(`unauth:${address}`, limit, MINUTE);
  if (w.allowed) return;
  const retry = Math.max(1, Math.ceil((w.resetAt - Date.now()) / 1000));
  throw new ServiceError("rate_limited", `Too many requests without a valid API key from this address: at most ${limit} per minute.`, {
    headers: { ...rateHeaders(w), "retry-after": String(retry) },
  });
}

/** The quota subjects a request is charged to: always the user; also the key when it has its own caps. */
export function quotaSubjects(p: Principal): QuotaLimit[] {
  const s: QuotaLimit[] = [{ subject: `user:${p.userId}`, userId: p.userId, monthlyRequests: p.plan.monthlyRequests, monthlyComputeMs: p.plan.monthlyComputeMs }];
  if (p.key && (p.key.monthlyRequests != null || p.key.monthlyComputeMs != null)) {
    s.push({
      subject: `key:${p.key.id}`,
      userId: p.userId,
      monthlyRequests: p.key.monthlyRequests ?? p.plan.monthlyRequests,
      monthlyComputeMs: p.key.monthlyComputeMs ?? p.plan.monthlyComputeMs,
    });
  }
  return s;
}
