import "server-only";
import crypto from "node:crypto";
import { findQuotaCounter, quotaCountersOf, releaseExpiredReservations, reserveQuota, settleQuota, type QuotaCap } from "@/lib/db/quota";

/**
 * Monthly quotas (requests and compute milliseconds), reserved before inference and settled after. The counting
 * itself is atomic in the database (lib/db/quota.ts); this module names the period, reads back what was left, and
 * says which limit refused a request.
 */

/** What a subject ("user:<id>" or "key:<id>") may use per month. */
export type QuotaLimit = QuotaCap;

export interface Reservation {
  id: string;
  period: string;
  computeMs: number;
  subjects: QuotaLimit[];
}

export type ReserveOutcome =
  | { ok: true; reservation: Reservation; remainingComputeMs: number; remainingRequests: number }
  | { ok: false; subject: string; limit: "monthly_requests" | "monthly_compute_ms"; max: number; resetAt: Date };

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
  if (!r.ok) return refusal(r.subject, period, computeMs);
  const first = r.first;
  return {
    ok: true,
    reservation: { id, period, computeMs, subjects },
    remainingComputeMs: Math.max(0, subjects[0].monthlyComputeMs - Number(first?.usedComputeMs ?? 0) - Number(first?.reservedComputeMs ?? 0)),
    remainingRequests: Math.max(0, subjects[0].monthlyRequests - Number(first?.usedRequests ?? 0) - Number(first?.reservedRequests ?? 0)),
  };
}

/** Which of the subject's two limits had no room: requests, unless only compute was full. */
async function refusal(s: QuotaLimit, period: string, computeMs: number): Promise<ReserveOutcome> {
  const c = await findQuotaCounter(s.subject, period);
  const requestsFull = (c?.usedRequests ?? 0) + (c?.reservedRequests ?? 0) + 1 > s.monthlyRequests;
  const computeFull = (c?.usedComputeMs ?? 0) + (c?.reservedComputeMs ?? 0) + computeMs > s.monthlyComputeMs;
  const limit = requestsFull || !computeFull ? "monthly_requests" : "monthly_compute_ms";
  return { ok: false, subject: s.subject, limit, max: limit === "monthly_requests" ? s.monthlyRequests : s.monthlyComputeMs, resetAt: periodReset(period) };
}

/**
 * Turns a reservation into use (`actualMs` of compute, one request) or, with `actualMs = null`, releases it.
 * Use is capped at the limit: a request that ran longer than its estimate is never billed past the quota.
 */
export function settle(r: Reservation, actualMs: number | null): Promise<void> {
  return settleQuota(r, actualMs);
}

/** Releases reservations left behind by requests that never settled (a killed instance). */
export function sweepExpiredReservations(now = new Date()): Promise<number> {
  return releaseExpiredReservations(now);
}

export function quotaCounters(userId: string, period = periodOf()) {
  return quotaCountersOf(userId, period);
}
