import "server-only";
import { findKeyByHash } from "@/lib/db/keys";
import { findPlanLimits } from "@/lib/db/plans";
import { channelWorking, entryTtlMs, PrincipalCache, type ChannelHealth, type PrincipalChange, type TtlSettings } from "./principal-cache";
import { parseScopes } from "./scopes";

/**
 * The process-wide caches of verified keys (by hash) and plan limits (by plan id), so that authenticating a request
 * costs a hash and a map lookup instead of a database read (issue 12). On globalThis: the route handler that
 * revokes a key and the one that serves the next request may run in different copies of lib/, and boot's copy
 * runs the invalidation channel (principal-channel.ts) that clears them.
 *
 * How long an entry lives (principal-cache.ts entryTtlMs): 1 s without Redis — the bound on how long another
 * instance's change goes unseen when several share a database — and 60 s while the Redis channel is known to work,
 * since every change then arrives as a message. Changes made by this process clear its entries at once.
 *
 * Unknown keys are never cached: a flood of random keys must not grow (or flush) the cache, and a key created on
 * another instance must work on its first request here. They cost one indexed read each and are limited per client
 * address (lib/metering/limits.ts admitUnauthenticated).
 */

export interface PlanLimits {
  id: string;
  name: string;
  requestsPerMinute: number;
  concurrentRequests: number;
  monthlyRequests: number;
  monthlyComputeMs: number;
}

/** Everything authentication needs of a key, its owner and the owner's plan. Shared between requests: read only. */
export interface CachedKey {
  id: string;
  scopes: string[];
  revoked: boolean;
  /** Epoch ms; checked on every use (an entry outliving the expiry never lets the key through). */
  expiresAt: number | null;
  limits: { requestsPerMinute: number | null; concurrentRequests: number | null; monthlyRequests: number | null; monthlyComputeMs: number | null };
  user: { id: string; email: string; role: "USER" | "ADMIN"; disabled: boolean };
  plan: PlanLimits | null;
}

export const TTL: TtlSettings = { shortMs: 1_000, longMs: 60_000, heartbeatWindowMs: 3_000 };
/** Each instance sends itself a heartbeat through the channel this often (principal-channel.ts). */
export const HEARTBEAT_MS = 1_000;
/** ≈ 10,000 × a few hundred bytes: a few MB at most, however many keys call. */
const MAX_KEYS = 10_000;
const MAX_PLANS = 1_000;

interface Store {
  keys: PrincipalCache<CachedKey>;
  plans: PrincipalCache<PlanLimits>;
  /** Lookups in flight by hash: a burst on a cold key reads the database once. */
  inflight: Map<string, Promise<CachedKey | null>>;
  health: ChannelHealth;
  hits: number;
  misses: number;
}

const g = globalThis as unknown as { __paretoPrincipals?: Store };

export function principalStore(): Store {
  g.__paretoPrincipals ??= {
    keys: new PrincipalCache<CachedKey>(MAX_KEYS),
    plans: new PrincipalCache<PlanLimits>(MAX_PLANS),
    inflight: new Map(),
    health: { subscribedAt: null, lastHeartbeatSentAt: 0 },
    hits: 0,
    misses: 0,
  };
  return g.__paretoPrincipals;
}

const ttl = (storedAt: number, now: number) => entryTtlMs(principalStore().health, TTL, storedAt, now);

async function readKey(hash: string): Promise<CachedKey | null> {
  const k = await findKeyByHash(hash);
  if (!k) return null;
  return {
    id: k.id,
    scopes: parseScopes(k.scopes),
    revoked: k.revokedAt !== null,
    expiresAt: k.expiresAt ? k.expiresAt.getTime() : null,
    limits: { requestsPerMinute: k.requestsPerMinute, concurrentRequests: k.concurrentRequests, monthlyRequests: k.monthlyRequests, monthlyComputeMs: k.monthlyComputeMs },
    user: { id: k.user.id, email: k.user.email, role: k.user.role, disabled: k.user.disabled },
    plan: k.user.plan,
  };
}

/** The key with this hash (revoked, expired and disabled ones included: the caller decides), or null when unknown. */
export function cachedKey(hash: string): Promise<CachedKey | null> {
  const s = principalStore();
  const now = Date.now();
  const hit = s.keys.get(hash, now, ttl);
  if (hit) {
    s.hits++;
    return Promise.resolve(hit);
  }
  s.misses++;
  const joined = s.inflight.get(hash);
  if (joined) return joined;
  const token = s.keys.token();
  const read: Promise<CachedKey | null> = readKey(hash)
    .then((k) => {
      if (k) s.keys.set(hash, k, { keyId: k.id, userId: k.user.id, planId: k.plan?.id ?? null }, token, now);
      return k;
    })
    .finally(() => {
      if (s.inflight.get(hash) === read) s.inflight.delete(hash);
    });
  s.inflight.set(hash, read);
  return read;
}

/** A plan's limits by id (the session path: the user row is read fresh, its plan's limits come from here). */
export async function cachedPlan(planId: string): Promise<PlanLimits | null> {
  const s = principalStore();
  const now = Date.now();
  const hit = s.plans.get(planId, now, ttl);
  if (hit) return hit;
  const token = s.plans.token();
  const p = await findPlanLimits(planId);
  if (p) s.plans.set(planId, p, { planId }, token, now);
  return p;
}

/** Drops what a change touches in this process, and lets no lookup already in flight store what it read. */
export function invalidateLocal(change: PrincipalChange): void {
  const s = principalStore();
  s.keys.invalidate(change);
  s.plans.invalidate(change);
  s.inflight.clear();
}

/** For /metrics. */
export function principalCacheStats(now = Date.now()): { hits: number; misses: number; entries: number; channelUp: boolean } {
  const s = principalStore();
  return { hits: s.hits, misses: s.misses, entries: s.keys.size, channelUp: channelWorking(s.health, TTL, now) };
}
