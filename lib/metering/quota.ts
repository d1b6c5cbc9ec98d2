import "server-only";
import crypto from "node:crypto";
import { db } from "@/lib/db/client";

/**
 * Monthly quotas (requests and compute milliseconds), reserved before inference and settled after. Every
 * reservation is one conditional UPDATE — the check and the increment in the same statement — so concurrent
 * requests on any number of instances cannot take more than the limit (unkey's `WHERE remaining >= cost`).
 */

export interface QuotaLimit {
  /** "user:<id>" or "key:<id>" */
  subject: string;
  userId: string;
  monthlyRequests: number;
  monthlyComputeMs: number;
}

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

/** Counters this process has seen exist: a counter row is never deleted, so one lookup per period suffices. */
const knownCounters = new Set<string>();

async function ensureCounter(subject: string, userId: string, period: string): Promise<void> {
  const k = `${subject}|${period}`;
  if (knownCounters.has(k)) return;
  const exists = await db().quotaCounter.findUnique({ where: { subject_period: { subject, period } }, select: { id: true } });
  if (!exists) {
    try {
      await db().quotaCounter.create({ data: { subject, userId, period } });
    } catch (e) {
      if ((e as { code?: string }).code !== "P2002") throw e; // created concurrently: fine
    }
  }
  if (knownCounters.size > 100_000) knownCounters.clear();
  knownCounters.add(k);
}

interface CounterRow {
  usedComputeMs: number;
  reservedComputeMs: number;
  usedRequests: number;
  reservedRequests: number;
}

/** Reserves one request and `computeMs` against every subject, all or nothing. */
export async function reserve(subjects: QuotaLimit[], computeMs: number, requestId: string, instanceId: string, ttlMs: number): Promise<ReserveOutcome> {
  const period = periodOf();
  for (const s of subjects) await ensureCounter(s.subject, s.userId, period);
  const id = crypto.randomUUID();
  let first: CounterRow | undefined;
  const failed = await db().$transaction(async (tx) => {
    for (const s of subjects) {
      // RETURNING gives the counter after the reservation, for the remaining-quota headers, in the same trip.
      const rows = await tx.$queryRaw<CounterRow[]>`UPDATE "QuotaCounter"
        SET "reservedComputeMs" = "reservedComputeMs" + ${computeMs}, "reservedRequests" = "reservedRequests" + 1
        WHERE "subject" = ${s.subject} AND "period" = ${period}
          AND "usedRequests" + "reservedRequests" + 1 <= ${s.monthlyRequests}
          AND "usedComputeMs" + "reservedComputeMs" + ${computeMs} <= ${s.monthlyComputeMs}
        RETURNING "usedComputeMs", "reservedComputeMs", "usedRequests", "reservedRequests"`;
      // Throwing rolls back the subjects already reserved in this transaction.
      if (rows.length !== 1) throw new QuotaRefused(s);
      first ??= rows[0];
    }
    await tx.quotaReservation.create({
      data: { id, counterId: `${period}|${subjects.map((s) => s.subject).join(",")}`, requestId, instanceId, computeMs, requests: 1, expiresAt: new Date(Date.now() + ttlMs) },
    });
    return null;
  }).catch((e: unknown) => {
    if (e instanceof QuotaRefused) return e.subject;
    throw e;
  });
  if (failed) return refusal(failed, period, computeMs);
  return {
    ok: true,
    reservation: { id, period, computeMs, subjects },
    remainingComputeMs: Math.max(0, subjects[0].monthlyComputeMs - Number(first?.usedComputeMs ?? 0) - Number(first?.reservedComputeMs ?? 0)),
    remainingRequests: Math.max(0, subjects[0].monthlyRequests - Number(first?.usedRequests ?? 0) - Number(first?.reservedRequests ?? 0)),
  };
}

class QuotaRefused extends Error {
  constructor(readonly subject: QuotaLimit) {
    super("quota refused");
  }
}

async function refusal(s: QuotaLimit, period: string, computeMs: number): Promise<ReserveOutcome> {
  const c = await db().quotaCounter.findUnique({ where: { subject_period: { subject: s.subject, period } } });
  const requestsFull = (c?.usedRequests ?? 0) + (c?.reservedRequests ?? 0) + 1 > s.monthlyRequests;
  const computeFull = (c?.usedComputeMs ?? 0) + (c?.reservedComputeMs ?? 0) + computeMs > s.monthlyComputeMs;
  const limit = requestsFull || !computeFull ? "monthly_requests" : "monthly_compute_ms";
  return { ok: false, subject: s.subject, limit, max: limit === "monthly_requests" ? s.monthlyRequests : s.monthlyComputeMs, resetAt: periodReset(period) };
}

/**
 * Turns a reservation into use (`actualMs` of compute, one request) or, with `actualMs = null`, releases it.
 * Use is capped at the limit: a request that ran longer than its estimate is never billed past the quota.
 */
export async function settle(r: Reservation, actualMs: number | null): Promise<void> {
  await db().$transaction(async (tx) => {
    // Deleting the reservation row in the same transaction makes settle/release happen once, even racing the
    // expiry sweeper, and never leaves a half-settled reservation behind.
    const del = await tx.quotaReservation.deleteMany({ where: { id: r.id } });
    if (del.count !== 1) return;
    for (const s of r.subjects) {
      if (actualMs === null) {
        await tx.$executeRaw`UPDATE "QuotaCounter"
          SET "reservedComputeMs" = "reservedComputeMs" - ${r.computeMs}, "reservedRequests" = "reservedRequests" - 1
          WHERE "subject" = ${s.subject} AND "period" = ${r.period}`;
      } else {
        await tx.$executeRaw`UPDATE "QuotaCounter"
          SET "reservedComputeMs" = "reservedComputeMs" - ${r.computeMs}, "reservedRequests" = "reservedRequests" - 1,
              "usedRequests" = "usedRequests" + 1,
              "usedComputeMs" = CASE
                WHEN "usedComputeMs" + ${actualMs} <= ${s.monthlyComputeMs} THEN "usedComputeMs" + ${actualMs}
                WHEN "usedComputeMs" > ${s.monthlyComputeMs} THEN "usedComputeMs"
                ELSE ${s.monthlyComputeMs} END
          WHERE "subject" = ${s.subject} AND "period" = ${r.period}`;
      }
    }
  });
}

/** Releases reservations left behind by requests that never settled (a killed instance). */
export async function sweepExpiredReservations(now = new Date()): Promise<number> {
  const stale = await db().quotaReservation.findMany({ where: { expiresAt: { lt: now } }, take: 500 });
  let released = 0;
  for (const row of stale) {
    const done = await db().$transaction(async (tx) => {
      const del = await tx.quotaReservation.deleteMany({ where: { id: row.id } });
      if (del.count !== 1) return false;
      const [period, subjects] = row.counterId.split("|");
      for (const subject of subjects.split(",")) {
        await tx.$executeRaw`UPDATE "QuotaCounter"
          SET "reservedComputeMs" = "reservedComputeMs" - ${row.computeMs}, "reservedRequests" = "reservedRequests" - ${row.requests}
          WHERE "subject" = ${subject} AND "period" = ${period}`;
      }
      return true;
    });
    if (done) released++;
  }
  return released;
}

export function quotaCounters(userId: string, period = periodOf()) {
  return db().quotaCounter.findMany({ where: { userId, period } });
}
