import "server-only";
import { db } from "./client";

/**
 * Quota counters (one row per subject and month) and reservations, for lib/metering/quota.ts. A reservation is one
 * UPDATE per subject — the check and the increment in the same statement — so concurrent requests on any number of
 * instances cannot reserve more than the limit (unkey's `WHERE remaining >= cost`). The statement always touches the
 * row and returns it, so a refusal comes with the very figures it was decided on.
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
  constructor(
    readonly subject: QuotaCap,
    readonly figures: QuotaCounterFigures,
  ) {
    super("quota refused");
  }
}

type Row = QuotaCounterFigures & { lastReservationId: string | null };

/** Numbers as numbers: PostgreSQL returns Float columns as numbers and Int as numbers, SQLite may return bigints. */
function figures(r: Row): QuotaCounterFigures {
  return { usedComputeMs: Number(r.usedComputeMs), reservedComputeMs: Number(r.reservedComputeMs), usedRequests: Number(r.usedRequests), reservedRequests: Number(r.reservedRequests) };
}

/**
 * Reserves one request and `computeMs` in `period` against every subject, all or nothing. Returns the first
 * subject's counter after the reservation, or the subject that had no room with the counter as the refusing
 * statement saw it (nothing is reserved then).
 */
export async function reserveQuota(
  subjects: readonly QuotaCap[],
  period: string,
  r: { id: string; computeMs: number; requestId: string; instanceId: string; expiresAt: Date },
): Promise<{ ok: true; first: QuotaCounterFigures } | { ok: false; subject: QuotaCap; figures: QuotaCounterFigures }> {
  for (const s of subjects) await ensureCounter(s.subject, s.userId, period);
  let first: QuotaCounterFigures | undefined;
  const refused = await db()
    .$transaction(async (tx) => {
      for (const s of subjects) {
        // Every expression in SET reads the row as it was before this statement, so the three CASEs agree. The
        // reservation id marks whether this statement reserved; RETURNING gives the counter after it — unchanged
        // when refused, i.e. exactly the figures the refusal was decided on.
        const rows = await tx.$queryRaw<Row[]>`UPDATE "QuotaCounter" SET
          "reservedComputeMs" = "reservedComputeMs" + CASE WHEN "usedRequests" + "reservedRequests" + 1 <= ${s.monthlyRequests}
              AND "usedComputeMs" + "reservedComputeMs" + ${r.computeMs} <= ${s.monthlyComputeMs} THEN ${r.computeMs} ELSE 0 END,
          "reservedRequests" = "reservedRequests" + CASE WHEN "usedRequests" + "reservedRequests" + 1 <= ${s.monthlyRequests}
              AND "usedComputeMs" + "reservedComputeMs" + ${r.computeMs} <= ${s.monthlyComputeMs} THEN 1 ELSE 0 END,
          "lastReservationId" = CASE WHEN "usedRequests" + "reservedRequests" + 1 <= ${s.monthlyRequests}
              AND "usedComputeMs" + "reservedComputeMs" + ${r.computeMs} <= ${s.monthlyComputeMs} THEN ${r.id} ELSE "lastReservationId" END
        WHERE "subject" = ${s.subject} AND "period" = ${period}
        RETURNING "usedComputeMs", "reservedComputeMs", "usedRequests", "reservedRequests", "lastReservationId"`;
        if (rows.length !== 1) throw new Error(`quota counter ${s.subject} ${period} is missing`);
        // Throwing rolls back the subjects already reserved in this transaction.
        if (rows[0].lastReservationId !== r.id) throw new QuotaRefused(s, figures(rows[0]));
        first ??= figures(rows[0]);
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
      if (e instanceof QuotaRefused) return e;
      throw e;
    });
  return refused ? { ok: false, subject: refused.subject, figures: refused.figures } : { ok: true, first: first! };
}

/**
 * Turns a reservation into use (`actualMs` of compute, one request) or, with `actualMs = null`, releases it. Use is
 * never capped at the limit. A reservation the sweeper already released (its owner's lease lapsed while the request
 * was still running) is billed all the same, without releasing it twice.
 */
export async function settleQuota(r: { id: string; period: string; computeMs: number; subjects: readonly QuotaCap[] }, actualMs: number | null): Promise<void> {
  await db().$transaction(async (tx) => {
    // Deleting the reservation row in the same transaction makes the release happen once, even racing the sweeper.
    const held = (await tx.quotaReservation.deleteMany({ where: { id: r.id } })).count === 1;
    if (!held && actualMs === null) return;
    const releaseMs = held ? r.computeMs : 0;
    const releaseRequests = held ? 1 : 0;
    for (const s of r.subjects) {
      if (actualMs === null) {
        await tx.$executeRaw`UPDATE "QuotaCounter"
          SET "reservedComputeMs" = "reservedComputeMs" - ${releaseMs}, "reservedRequests" = "reservedRequests" - ${releaseRequests}
          WHERE "subject" = ${s.subject} AND "period" = ${r.period}`;
      } else {
        await tx.$executeRaw`UPDATE "QuotaCounter"
          SET "reservedComputeMs" = "reservedComputeMs" - ${releaseMs}, "reservedRequests" = "reservedRequests" - ${releaseRequests},
              "usedRequests" = "usedRequests" + 1, "usedComputeMs" = "usedComputeMs" + ${actualMs}
          WHERE "subject" = ${s.subject} AND "period" = ${r.period}`;
      }
    }
  });
}

/**
 * Releases reservations nobody will settle — owned by an instance in `lapsedOwners`, or past their expiry — and
 * returns how many.
 */
export async function releaseStaleReservations(now: Date, lapsedOwners: readonly string[]): Promise<number> {
  const stale = await db().quotaReservation.findMany({
    where: { OR: [{ expiresAt: { lt: now } }, ...(lapsedOwners.length ? [{ instanceId: { in: [...lapsedOwners] } }] : [])] },
    take: 500,
  });
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
