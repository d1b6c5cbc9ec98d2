import "server-only";
import crypto from "node:crypto";
import { env } from "@/lib/config/env";
import { lapsedLeaseOwners, pruneLapsedLeases } from "@/lib/db/instance-leases";
import { quotaCountersOf, releaseStaleReservations, reserveQuota, settleQuota, type QuotaCap, type QuotaCounterFigures } from "@/lib/db/quota";
import { reclaimStaleLeases } from "@/lib/db/quota-leases";
import type { Amount, LeaseHold } from "./lease-ledger";
import { FLUSH_MS, quotaLeases } from "./quota-leases";

/**
 * Monthly quotas (requests and compute milliseconds), reserved before inference and settled after. For each subject
 * a request is counted against this instance's quota lease when it has one with room, or can take one
 * (lib/metering/quota-leases.ts: no database write on the request's path); else — near the limit, or with leases
 * off — it reserves in the database, atomically (lib/db/quota.ts). This module names the period, says from the
 * counter the reservation statement itself returned which limit refused a request and whether it is used up or
 * only held (by requests in flight or by instances' leases), and sweeps reservations and leases whose owner died.
 */

/** What a subject ("user:<id>" or "key:<id>") may use per month. */
export type QuotaLimit = QuotaCap;

export type QuotaLimitName = "monthly_requests" | "monthly_compute_ms";

export interface Reservation {
  id: string;
  period: string;
  computeMs: number;
  /** The subjects reserved in the database (row `id`); empty when every subject was counted against a lease. */
  subjects: QuotaLimit[];
  /** The subjects counted against this instance's leases. */
  holds: LeaseHold[];
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
  /** Held by instances' quota leases (mostly not yet used; returned within a second or two when idle). */
  leased: number;
  /** What this request asked for, in the limit's unit (1 request, or its estimated compute). */
  needed: number;
  /**
   * True when the request would fit but for reservations of requests still in flight and quota leased to instances
   * (or held by an instance that died, until its lease lapses): not exhausted, worth a retry in `retryAfterS`.
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

/**
 * Reserves one request and `computeMs` against every subject, all or nothing: from this instance's lease on each
 * subject where it can, in the database for the rest.
 */
export async function reserve(subjects: QuotaLimit[], computeMs: number, requestId: string, instanceId: string, ttlMs: number): Promise<ReserveOutcome> {
  const period = periodOf();
  const need = { requests: 1, computeMs };
  const leases = quotaLeases();
  const holds: LeaseHold[] = [];
  const exact: QuotaLimit[] = [];
  for (const s of subjects) {
    let h = leases.hold(s, period, need);
    // Twice at most: the block one acquisition took may be gone to the requests that waited for it with this one.
    for (let i = 0; !h && i < 2 && (await leases.acquire(s, period, need)); i++) h = leases.hold(s, period, need);
    if (h) holds.push(h);
    else exact.push(s);
    leases.count(h ? "lease" : "database", s.subject);
  }
  const id = crypto.randomUUID();
  let first: Amount | undefined;
  if (exact.length) {
    const r = await reserveQuota(exact, period, { id, computeMs, requestId, instanceId, expiresAt: new Date(Date.now() + ttlMs) }).catch((e: unknown) => {
      // The database failed the request: what it took from the leases goes back, or they would never drain.
      for (const h of holds) leases.settle(h, null);
      throw e;
    });
    if (!r.ok) {
      for (const h of holds) leases.settle(h, null);
      return refusal(r.subject, r.figures, computeMs, period);
    }
    if (exact[0] === subjects[0]) {
      first = {
        computeMs: Math.max(0, subjects[0].monthlyComputeMs - r.first.usedComputeMs - r.first.reservedComputeMs),
        requests: Math.max(0, subjects[0].monthlyRequests - r.first.usedRequests - r.first.reservedRequests),
      };
    }
  }
  first ??= holds[0].lease.remaining({ requests: subjects[0].monthlyRequests, computeMs: subjects[0].monthlyComputeMs });
  return { ok: true, reservation: { id, period, computeMs, subjects: exact, holds }, remainingComputeMs: first.computeMs, remainingRequests: first.requests };
}

/**
 * Why `s` had no room, from the figures the refusing statement saw (never a second read: by then other requests
 * may have settled and the answer would name a limit that did not refuse). Held means the request would fit but for
 * the reservations in flight and the leases; then the limit they fill is named, else the one used up (requests
 * first when both). Use counted against a lease shows as used only once written back (within FLUSH_MS), so a
 * request refused while another instance's lease holds the last of the quota is held (429) until then, exhausted
 * (402) after.
 */
export function refusal(s: QuotaLimit, c: QuotaCounterFigures, computeMs: number, period: string): Refusal {
  const requestsAlone = c.usedRequests + 1 > s.monthlyRequests;
  const computeAlone = c.usedComputeMs + computeMs > s.monthlyComputeMs;
  const held = !requestsAlone && !computeAlone;
  const requestsFull = held ? c.usedRequests + c.reservedRequests + c.leasedRequests + 1 > s.monthlyRequests : requestsAlone;
  const limit: QuotaLimitName = requestsFull ? "monthly_requests" : "monthly_compute_ms";
  // In-flight work settles within its compute time; an idle lease goes back within its idle time and a write-back;
  // a dead instance's within a lease and a sweep.
  const releaseS = Math.ceil((env.instanceLeaseMs() + env.reservationSweepMs()) / 1000);
  const leased = limit === "monthly_requests" ? c.leasedRequests : c.leasedComputeMs;
  const leaseS = leased > 0 ? Math.ceil((env.quotaLeaseIdleMs() + FLUSH_MS) / 1000) : 0;
  const retryAfterS = Math.min(releaseS, Math.max(1, Math.ceil(c.reservedComputeMs / 1000), leaseS));
  const figures =
    limit === "monthly_requests"
      ? { max: s.monthlyRequests, used: c.usedRequests, reserved: c.reservedRequests, leased: c.leasedRequests, needed: 1 }
      : { max: s.monthlyComputeMs, used: c.usedComputeMs, reserved: c.reservedComputeMs, leased: c.leasedComputeMs, needed: computeMs };
  return { ok: false, subject: s.subject, limit, ...figures, held, retryAfterS, resetAt: periodReset(period) };
}

/**
 * Turns a reservation into use (`actualMs` of compute, one request) or, with `actualMs = null`, releases it. Use is
 * never capped: what a request spent is billed even past the limit, so the counter shows any overspend (at most what
 * was in flight when the quota ran out, less its reservations). Leased subjects are settled in memory and reach the
 * counter with the next write-back; database ones now.
 */
export async function settle(r: Reservation, actualMs: number | null): Promise<void> {
  for (const h of r.holds) quotaLeases().settle(h, actualMs);
  if (r.subjects.length) await settleQuota(r, actualMs);
}

/**
 * Releases reservations nobody will settle — those whose owner's lease lapsed (an instance killed or cut off stops
 * renewing it) and, as a backstop, any past its expiry — and reclaims the quota leases of such owners.
 */
export async function sweepStaleReservations(now = new Date()): Promise<{ reservations: number; leases: number }> {
  const lapsed = await lapsedLeaseOwners(now);
  const reservations = await releaseStaleReservations(now, lapsed);
  const leases = await reclaimStaleLeases(now);
  // A lapsed lease is kept a while (its reservations are released by then), so a late reservation still finds it.
  await pruneLapsedLeases(new Date(now.getTime() - 3_600_000));
  return { reservations, leases };
}

export function quotaCounters(userId: string, period = periodOf()) {
  return quotaCountersOf(userId, period);
}
