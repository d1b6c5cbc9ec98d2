import "server-only";
import { db } from "./client";

/**
 * Quota counters (one row per subject and month) and reservations, for lib/metering/quota.ts. A reservation is one
 * conditional UPDATE per subject — the check and the increment in the same statement — so concurrent requests on
 * any number of instances cannot take more than the limit (unkey's `WHERE remaining >= cost`).
 */

/** A counter's figures for one subject and period. */
export interface QuotaCounterFigures {
  usedComputeMs: number;
  reservedComputeMs: number;
  usedRequests: number;
  reservedRequests: number;
}

/** What a subject may use in a period. */
export interface QuotaCap {
  /** "user:<id>" or "key:<id>" */
  subject: string;
  userId: string;
  monthlyRequests: number;
  monthlyComputeMs: number;
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

class QuotaRefused extends Error {
  constructor(readonly subject: QuotaCap) {
    super("quota refused");
  }
}

/**
 * Reserves one request and `computeMs` in `period` against every subject, all or nothing. Returns the first
 * subject's counter after the reservation, or the subject that had no room (nothing is reserved then).
 */
export async function reserveQuota(
  subjects: readonly QuotaCap[],
  period: string,
  r: { id: string; computeMs: number; requestId: string; instanceId: string; expiresAt: Date },
): Promise<{ ok: true; first: QuotaCounterFigures | undefined } | { ok: false; subject: QuotaCap }> {
  for (const s of subjects) await ensureCounter(s.subject, s.userId, period);
  let first: QuotaCounterFigures | undefined;
  const refused = await db()
    .$transaction(async (tx) => {
      for (const s of subjects) {
        // RETURNING gives the counter after the reservation, for the remaining-quota headers, in the same trip.
        const rows = await tx.$queryRaw<QuotaCounterFigures[]>`UPDATE "QuotaCounter"
        SET "reservedComputeMs" = "reservedComputeMs" + ${r.computeMs}, "reservedRequests" = "reservedRequests" + 1
        WHERE "subject" = ${s.subject} AND "period" = ${period}
          AND "usedRequests" + "reservedRequests" + 1 <= ${s.monthlyRequests}
          AND "usedComputeMs" + "reservedComputeMs" + ${r.computeMs} <= ${s.monthlyComputeMs}
        RETURNING "usedComputeMs", "reservedComputeMs", "usedRequests", "reservedRequests"`;
        // Throwing rolls back the subjects already reserved in this transaction.
        if (rows.length !== 1) throw new QuotaRefused(s);
        first ??= rows[0];
      }
      await tx.quotaReservation.create({
        data: {
          id: r.id,
          // The sweeper reads the period and the subjects back from here.
          counterId: `${period}|${subjects.map((s) => s.subject).join(",")}`,
          requestId: r.requestId,
          instanceId: r.instanceId,
          computeMs: r.computeMs,
          requests: 1,
          expiresAt: r.expiresAt,
        },
      });
      return null;
    })
    .catch((e: unknown) => {
      if (e instanceof QuotaRefused) return e.subject;
      throw e;
    });
  return refused ? { ok: false, subject: refused } : { ok: true, first };
}

export function findQuotaCounter(subject: string, period: string) {
  return db().quotaCounter.findUnique({ where: { subject_period: { subject, period } } });
}

/**
 * Turns a reservation into use (`actualMs` of compute, one request) or, with `actualMs = null`, releases it.
 * Use is capped at the limit: a request that ran longer than its estimate is never billed past the quota.
 */
export async function settleQuota(r: { id: string; period: string; computeMs: number; subjects: readonly QuotaCap[] }, actualMs: number | null): Promise<void> {
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

/** Releases reservations that expired before `now` (left behind by a killed instance); returns how many. */
export async function releaseExpiredReservations(now: Date): Promise<number> {
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

/** A user's counters for a period (their own and their keys'). */
export function quotaCountersOf(userId: string, period: string) {
  return db().quotaCounter.findMany({ where: { userId, period } });
}
