import "server-only";
import crypto from "node:crypto";
import { env } from "@/lib/config/env";
import { lapsedLeaseOwners, pruneLapsedLeases } from "@/lib/db/instance-leases";
import { quotaCountersOf, releaseStaleReservations, reserveQuota, settleQuota, type QuotaCap, type QuotaCounterFigures } from "@/lib/db/quota";

/**
 * Monthly quotas (requests and compute milliseconds), reserved before inference and settled after. The counting
 * itself is atomic in the database (lib/db/quota.ts); this module names the period, says from the counter the
 * reservation statement itself returned which limit refused a request and whether it is used up or only held by
 * requests in flight, and sweeps reservations whose owner died.
 */

/** What a subject ("user:<id>" or "key:<id>") may use per month. */
export type QuotaLimit = QuotaCap;

export type QuotaLimitName = "monthly_requests" | "monthly_compute_ms";

export interface Reservation {
  id: string;
  period: string;
  computeMs: number;
  subjects: QuotaLimit[];
}

export interface Refusal {
  ok: false;
  subject: string;
  /** The limit that had no room for this request. */
  limit: QuotaLimitName;
  max: number;
  /** Used (settled) so far, and held by reservations of requests in flight, in the limit's unit. */
  used: number;
  reserved: number;
  /** What this request asked for, in the limit's unit (1 request, or its estimated compute). */
  needed: number;
  /**
   * True when the request would fit but for reservations of requests still in flight (or of an instance that died,
   * until its lease lapses): not exhausted, worth a retry in `retryAfterS`.
   */
  held: boolean;
  retryAfterS: number;
  resetAt: Date;
}

export type ReserveOutcome = { ok: true; reservation: Reservation; remainingComputeMs: number; remainingRequests: number } | Refusal;

export function periodOf(d = new Date()): string {
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

export function periodReset(period: string): Date {
  const [y, m] = period.split("-").map(Number);
  return new Date(Date.UTC(y, m, 1)); // month m (1-based) + 1, i.e. the first of next month
}

/** Reserves one request and `computeMs` against every subject, all or nothing. */
export async function reserve(subjects: QuotaLimit[], computeMs: number, requestId: string, instanceId: string, ttlMs: number): Promise<ReserveOutcome> {
  const period = periodOf();
  const id = crypto.randomUUID();
  const r = await reserveQuota(subjects, period, { id, computeMs, requestId, instanceId, expiresAt: new Date(Date.now() + ttlMs) });
  if (!r.ok) return refusal(r.subject, r.figures, computeMs, period);
  const first = r.first;
  return {
    ok: true,
    reservation: { id, period, computeMs, subjects },
    remainingComputeMs: Math.max(0, subjects[0].monthlyComputeMs - first.usedComputeMs - first.reservedComputeMs),
    remainingRequests: Math.max(0, subjects[0].monthlyRequests - first.usedRequests - first.reservedRequests),
  };
}

/**
 * Why `s` had no room, from the figures the refusing statement saw (never a second read: by then other requests
 * may have settled and the answer would name a limit that did not refuse). Held means the request would fit but for
 * the reservations in flight; then the limit they fill is named, else the one used up (requests first when both).
 */
export function refusal(s: QuotaLimit, c: QuotaCounterFigures, computeMs: number, period: string): Refusal {
  const requestsAlone = c.usedRequests + 1 > s.monthlyRequests;
  const computeAlone = c.usedComputeMs + computeMs > s.monthlyComputeMs;
  const held = !requestsAlone && !computeAlone;
  const requestsFull = held ? c.usedRequests + c.reservedRequests + 1 > s.monthlyRequests : requestsAlone;
  const limit: QuotaLimitName = requestsFull ? "monthly_requests" : "monthly_compute_ms";
  // In-flight work settles within its compute time; a dead instance's within a lease and a sweep.
  const releaseS = Math.ceil((env.instanceLeaseMs() + env.reservationSweepMs()) / 1000);
  const retryAfterS = Math.min(releaseS, Math.max(1, Math.ceil(c.reservedComputeMs / 1000)));
  const figures =
    limit === "monthly_requests"
      ? { max: s.monthlyRequests, used: c.usedRequests, reserved: c.reservedRequests, needed: 1 }
      : { max: s.monthlyComputeMs, used: c.usedComputeMs, reserved: c.reservedComputeMs, needed: computeMs };
  return { ok: false, subject: s.subject, limit, ...figures, held, retryAfterS, resetAt: periodReset(period) };
}

/**
 * Turns a reservation into use (`actualMs` of compute, one request) or, with `actualMs = null`, releases it. Use is
 * never capped: what a request spent is billed even past the limit, so the counter shows any overspend (at most what
 * was in flight when the quota ran out, less its reservations).
 */
export async function settle(r: Reservation, actualMs: number | null): Promise<void> {
  await settleQuota(r, actualMs);
}

/**
 * Releases reservations nobody will settle: those whose owner's lease lapsed (an instance killed or cut off
 * stops renewing it) and, as a backstop, any past its expiry. Returns how many.
 */
export async function sweepStaleReservations(now = new Date()): Promise<number> {
  const lapsed = await lapsedLeaseOwners(now);
  const released = await releaseStaleReservations(now, lapsed);
  // A lapsed lease is kept a while (its reservations are released by then), so a late reservation still finds it.
  await pruneLapsedLeases(new Date(now.getTime() - 3_600_000));
  return released;
}

export function quotaCounters(userId: string, period = periodOf()) {
  return quotaCountersOf(userId, period);
}
