import "server-only";
import { db, isPostgres } from "./client";

/**
 * Quota counters (one row per subject and month) and reservations, for lib/metering/quota.ts. A reservation is one
 * UPDATE per subject — the check and the increment in the same statement — so concurrent requests on any number of
 * instances cannot reserve more than the limit (unkey's `WHERE remaining >= cost`). What instances hold as quota
 * leases (lib/db/quota-leases.ts) counts as taken: used + reserved + leased never passes the limit. The statement always touches the
 * row and returns it, so a refusal comes with the very figures it was decided on.
 */

/** A counter's figures for one subject and period. */
export interface QuotaCounterFigures {
  usedComputeMs: number;
  reservedComputeMs: number;
  usedRequests: number;
  reservedRequests: number;
  /** Held by instances' quota leases (lib/db/quota-leases.ts): not free, not used either. */
  leasedRequests: number;
  leasedComputeMs: number;
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

export async function ensureCounter(subject: string, userId: string, period: string): Promise<void> {
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

export type CounterRow = Row;

/** Numbers as numbers: PostgreSQL returns Float columns as numbers and Int as numbers, SQLite may return bigints. */
export function figures(r: Row): QuotaCounterFigures {
  return {
    usedComputeMs: Number(r.usedComputeMs),
    reservedComputeMs: Number(r.reservedComputeMs),
    usedRequests: Number(r.usedRequests),
    reservedRequests: Number(r.reservedRequests),
    leasedRequests: Number(r.leasedRequests),
    leasedComputeMs: Number(r.leasedComputeMs),
  };
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
  if (isPostgres()) return reserveInOneStatement(subjects, period, r);
  let first: QuotaCounterFigures | undefined;
  const refused = await db()
    .$transaction(async (tx) => {
      for (const s of subjects) {
        // Every expression in SET reads the row as it was before this statement, so the three CASEs agree. The
        // reservation id marks whether this statement reserved; RETURNING gives the counter after it — unchanged
        // when refused, i.e. exactly the figures the refusal was decided on.
        const rows = await tx.$queryRaw<Row[]>`UPDATE "QuotaCounter" SET
          "reservedComputeMs" = "reservedComputeMs" + CASE WHEN "usedRequests" + "reservedRequests" + "leasedRequests" + 1 <= ${s.monthlyRequests}
              AND "usedComputeMs" + "reservedComputeMs" + "leasedComputeMs" + ${r.computeMs} <= ${s.monthlyComputeMs} THEN ${r.computeMs} ELSE 0 END,
          "reservedRequests" = "reservedRequests" + CASE WHEN "usedRequests" + "reservedRequests" + "leasedRequests" + 1 <= ${s.monthlyRequests}
              AND "usedComputeMs" + "reservedComputeMs" + "leasedComputeMs" + ${r.computeMs} <= ${s.monthlyComputeMs} THEN 1 ELSE 0 END,
          "lastReservationId" = CASE WHEN "usedRequests" + "reservedRequests" + "leasedRequests" + 1 <= ${s.monthlyRequests}
              AND "usedComputeMs" + "reservedComputeMs" + "leasedComputeMs" + ${r.computeMs} <= ${s.monthlyComputeMs} THEN ${r.id} ELSE "lastReservationId" END
        WHERE "subject" = ${s.subject} AND "period" = ${period}
        RETURNING "usedComputeMs", "reservedComputeMs", "usedRequests", "reservedRequests", "leasedRequests", "leasedComputeMs", "lastReservationId"`;
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
 * PostgreSQL: the whole reservation — lock the subjects' counters, decide, reserve on all or none, record the
 * reservation — as one statement, so the counter rows stay locked for the statement only, not across the round
 * trips of an interactive transaction (under a burst on one account, those round trips serialise every request).
 * `cur` locks (in subject order, as every other writer of several counters does, so two never deadlock) and reads
 * the latest figures; the UPDATE applies to those same locked rows.
 */
async function reserveInOneStatement(
  subjects: readonly QuotaCap[],
  period: string,
  r: { id: string; computeMs: number; requestId: string; instanceId: string; expiresAt: Date },
): Promise<{ ok: true; first: QuotaCounterFigures } | { ok: false; subject: QuotaCap; figures: QuotaCounterFigures }> {
  const params: unknown[] = [period, r.computeMs, r.id, `${period}|${subjects.map((s) => s.subject).join(",")}`, r.requestId, r.instanceId, r.expiresAt.toISOString(), subjects.length];
  const values = subjects.map((s) => {
    params.push(s.subject, s.monthlyRequests, s.monthlyComputeMs);
    const n = params.length;
    return `($${n - 2}::text, $${n - 1}::int, $${n}::float8)`;
  });
  const rows = await db().$queryRawUnsafe<(Row & { subject: string; fits: boolean })[]>(
    `WITH lim(subject, max_requests, max_compute) AS (VALUES ${values.join(", ")}),
    cur AS (
      SELECT q."subject", q."usedComputeMs", q."reservedComputeMs", q."usedRequests", q."reservedRequests", q."leasedRequests", q."leasedComputeMs", lim.max_requests, lim.max_compute
      FROM "QuotaCounter" q JOIN lim ON lim.subject = q."subject" WHERE q."period" = $1 ORDER BY q."subject" FOR UPDATE OF q
    ),
    verdict AS (
      SELECT COUNT(*) = $8::int AND COALESCE(bool_and(c."usedRequests" + c."reservedRequests" + c."leasedRequests" + 1 <= c.max_requests
        AND c."usedComputeMs" + c."reservedComputeMs" + c."leasedComputeMs" + $2::float8 <= c.max_compute), false) AS fits FROM cur c
    ),
    upd AS (
      UPDATE "QuotaCounter" q SET "reservedComputeMs" = q."reservedComputeMs" + $2::float8, "reservedRequests" = q."reservedRequests" + 1, "lastReservationId" = $3::text
      FROM verdict WHERE verdict.fits AND q."period" = $1 AND q."subject" IN (SELECT subject FROM lim) RETURNING q."subject"
    ),
    ins AS (
      INSERT INTO "QuotaReservation" ("id", "counterId", "requestId", "instanceId", "computeMs", "requests", "expiresAt")
      SELECT $3::text, $4::text, $5::text, $6::text, $2::float8, 1, ($7::timestamptz AT TIME ZONE 'UTC')::timestamp(3) FROM verdict WHERE verdict.fits RETURNING 1
    )
    SELECT c."subject", c."usedComputeMs", c."reservedComputeMs", c."usedRequests", c."reservedRequests", c."leasedRequests", c."leasedComputeMs", NULL AS "lastReservationId", v.fits
    FROM cur c, verdict v`,
    ...params,
  );
  const bySubject = new Map(rows.map((row) => [row.subject, figures(row)]));
  if (rows.length !== subjects.length) throw new Error(`quota counters of ${subjects.map((s) => s.subject).join(", ")} for ${period} are missing`);
  if (rows[0].fits) {
    const f = bySubject.get(subjects[0].subject)!;
    return { ok: true, first: { ...f, reservedComputeMs: f.reservedComputeMs + r.computeMs, reservedRequests: f.reservedRequests + 1 } };
  }
  // The first subject (in the caller's order) that had no room, with the figures the decision was made on.
  for (const s of subjects) {
    const f = bySubject.get(s.subject)!;
    if (f.usedRequests + f.reservedRequests + f.leasedRequests + 1 > s.monthlyRequests || f.usedComputeMs + f.reservedComputeMs + f.leasedComputeMs + r.computeMs > s.monthlyComputeMs) {
      return { ok: false, subject: s, figures: f };
    }
  }
  throw new Error("quota reservation refused with room on every subject");
}

/**
 * Turns a reservation into use (`actualMs` of compute, one request) or, with `actualMs = null`, releases it. Use is
 * never capped at the limit. A reservation the sweeper already released (its owner's lease lapsed while the request
 * was still running) is billed all the same, without releasing it twice.
 */
export async function settleQuota(r: { id: string; period: string; computeMs: number; subjects: readonly { subject: string }[] }, actualMs: number | null): Promise<boolean> {
  if (isPostgres()) {
    // One statement (see reserveInOneStatement): the DELETE says whether the reservation was still held.
    const params: unknown[] = [r.id, r.period, r.computeMs, actualMs === null ? 0 : 1, actualMs ?? 0];
    const subjects = r.subjects.map((s) => (params.push(s.subject), `$${params.length}::text`));
    const n = await db().$queryRawUnsafe<{ held: bigint | number }[]>(
      `WITH lk AS (SELECT "id" FROM "QuotaCounter" WHERE "period" = $2::text AND "subject" IN (${subjects.join(", ")}) ORDER BY "subject" FOR UPDATE),
      del AS (DELETE FROM "QuotaReservation" WHERE "id" = $1::text RETURNING 1)
      UPDATE "QuotaCounter" SET
        "reservedComputeMs" = "reservedComputeMs" - $3::float8 * (SELECT COUNT(*) FROM del),
        "reservedRequests" = "reservedRequests" - (SELECT COUNT(*) FROM del)::int,
        "usedRequests" = "usedRequests" + $4::int, "usedComputeMs" = "usedComputeMs" + $5::float8
      WHERE "id" IN (SELECT "id" FROM lk)
      RETURNING (SELECT COUNT(*) FROM del) AS held`,
      ...params,
    );
    return Number(n[0]?.held ?? 0) === 1;
  }
  return db().$transaction(async (tx) => {
    // Deleting the reservation row in the same transaction makes the release happen once, even racing the sweeper.
    const held = (await tx.quotaReservation.deleteMany({ where: { id: r.id } })).count === 1;
    if (!held && actualMs === null) return false;
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
    return held;
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
    if (isPostgres()) {
      // The settle's own statement, releasing: the same locks in the same order as a settle racing it.
      const [period, subjects] = row.counterId.split("|");
      if (await settleQuota({ id: row.id, period, computeMs: row.computeMs, subjects: subjects.split(",").map((subject) => ({ subject })) }, null)) released++;
      continue;
    }
    const done = await db().$transaction(async (tx) => {
      const del = await tx.quotaReservation.deleteMany({ where: { id: row.id } });
      if (del.count !== 1) return false;
      const [period, subjects] = row.counterId.split("|");
      // In subject order, as the reservation and the settle lock them (another order could deadlock with them).
      for (const subject of subjects.split(",").sort()) {
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
