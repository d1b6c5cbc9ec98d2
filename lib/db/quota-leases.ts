import "server-only";
import { db, isPostgres, type Db } from "./client";
import { ensureCounter, figures, type CounterRow, type QuotaCap, type QuotaCounterFigures } from "./quota";

/**
 * Quota leases (lib/metering/quota-leases.ts): an instance takes a block of a subject's quota for a period with one
 * guarded UPDATE — `used + reserved + leased + block ≤ limit` in the statement that adds the block to the counter's
 * leased columns — and records it in a QuotaLease row it owns. It then counts requests against the block in memory
 * and writes their use back in batches: each write adds the use to the counter and takes what those requests had
 * reserved off the lease, in one transaction. The sweeper reclaims the leases of an instance whose lease lapsed.
 *
 * Every transaction here locks the counter row first and the lease row after, as the reservation statements lock
 * counters (lib/db/quota.ts), so none of them can deadlock with another; the sweeper reads a lease's amount only
 * once it holds the counter, so a write-back racing it is counted once.
 */

/** Requests and estimated compute milliseconds. */
export interface LeaseAmount {
  requests: number;
  computeMs: number;
}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** A subject's counter for a period as it is now (created when missing). */
export async function counterFigures(cap: QuotaCap, period: string): Promise<QuotaCounterFigures> {
  await ensureCounter(cap.subject, cap.userId, period);
  const row = await db().quotaCounter.findUnique({ where: { subject_period: { subject: cap.subject, period } } });
  if (!row) throw new Error(`quota counter ${cap.subject} ${period} is missing`);
  return figures({ ...row, lastReservationId: null });
}

/** PostgreSQL: holds the counter row for the rest of the transaction (SQLite's write lock covers the whole file). */
async function lockCounter(tx: Tx, subject: string, period: string): Promise<void> {
  if (isPostgres()) await tx.$queryRaw`SELECT "id" FROM "QuotaCounter" WHERE "subject" = ${subject} AND "period" = ${period} FOR UPDATE`;
}

async function adjustCounter(tx: Tx, subject: string, period: string, used: LeaseAmount, leased: LeaseAmount): Promise<QuotaCounterFigures> {
  // The CASTs type the parameters alike on both providers (PostgreSQL would infer them from the columns beside them).
  const rows = await tx.$queryRaw<CounterRow[]>`UPDATE "QuotaCounter" SET
      "usedRequests" = "usedRequests" + CAST(${used.requests} AS INTEGER), "usedComputeMs" = "usedComputeMs" + CAST(${used.computeMs} AS DOUBLE PRECISION),
      "leasedRequests" = "leasedRequests" + CAST(${leased.requests} AS INTEGER), "leasedComputeMs" = "leasedComputeMs" + CAST(${leased.computeMs} AS DOUBLE PRECISION)
    WHERE "subject" = ${subject} AND "period" = ${period}
    RETURNING "usedComputeMs", "reservedComputeMs", "usedRequests", "reservedRequests", "leasedRequests", "leasedComputeMs", "lastReservationId"`;
  if (rows.length !== 1) throw new Error(`quota counter ${subject} ${period} is missing`);
  return figures(rows[0]);
}

class LeaseGone extends Error {}

/**
 * Adds `block` to lease `lease.id` of `cap`'s subject (a new row when `create`) if the counter has room for it on
 * both limits. `full`: it did not fit, nothing changed; `gone`: the lease to grow was reclaimed by the sweeper.
 */
export async function takeLeaseBlock(
  cap: QuotaCap,
  period: string,
  lease: { id: string; instanceId: string; create: boolean },
  block: LeaseAmount,
): Promise<{ ok: true; figures: QuotaCounterFigures } | { ok: false; reason: "full" | "gone" }> {
  try {
    return await db().$transaction(async (tx) => {
      const rows = await tx.$queryRaw<CounterRow[]>`UPDATE "QuotaCounter"
        SET "leasedRequests" = "leasedRequests" + CAST(${block.requests} AS INTEGER), "leasedComputeMs" = "leasedComputeMs" + CAST(${block.computeMs} AS DOUBLE PRECISION)
        WHERE "subject" = ${cap.subject} AND "period" = ${period}
          AND "usedRequests" + "reservedRequests" + "leasedRequests" + CAST(${block.requests} AS INTEGER) <= CAST(${cap.monthlyRequests} AS INTEGER)
          AND "usedComputeMs" + "reservedComputeMs" + "leasedComputeMs" + CAST(${block.computeMs} AS DOUBLE PRECISION) <= CAST(${cap.monthlyComputeMs} AS DOUBLE PRECISION)
        RETURNING "usedComputeMs", "reservedComputeMs", "usedRequests", "reservedRequests", "leasedRequests", "leasedComputeMs", "lastReservationId"`;
      if (rows.length !== 1) return { ok: false as const, reason: "full" as const };
      if (lease.create) {
        await tx.quotaLease.create({ data: { id: lease.id, instanceId: lease.instanceId, subject: cap.subject, period, requests: block.requests, computeMs: block.computeMs } });
      } else {
        const grown = await tx.quotaLease.updateMany({ where: { id: lease.id }, data: { requests: { increment: block.requests }, computeMs: { increment: block.computeMs } } });
        if (grown.count !== 1) throw new LeaseGone(); // rolls the counter back too
      }
      return { ok: true as const, figures: figures(rows[0]) };
    });
  } catch (e) {
    if (e instanceof LeaseGone) return { ok: false, reason: "gone" };
    throw e;
  }
}

/**
 * One write-back of a lease: adds `used` to the counter and takes `release` off the lease (and the counter's leased
 * columns); with `close`, deletes the lease and releases whatever it still held. `held` is false when the sweeper
 * had reclaimed the lease: the use is billed all the same, and nothing is released twice.
 */
export async function syncLease(l: { id: string; subject: string; period: string; used: LeaseAmount; release: LeaseAmount; close: boolean }): Promise<{ held: boolean; figures: QuotaCounterFigures }> {
  return db().$transaction(async (tx) => {
    await lockCounter(tx, l.subject, l.period);
    let released: LeaseAmount = { requests: 0, computeMs: 0 };
    let held: boolean;
    if (l.close) {
      const row = await tx.quotaLease.findUnique({ where: { id: l.id }, select: { requests: true, computeMs: true } });
      held = row !== null;
      if (row) {
        await tx.quotaLease.delete({ where: { id: l.id } });
        released = row;
      }
    } else {
      const n = await tx.quotaLease.updateMany({ where: { id: l.id }, data: { requests: { decrement: l.release.requests }, computeMs: { decrement: l.release.computeMs } } });
      held = n.count === 1;
      if (held) released = l.release;
    }
    const f = await adjustCounter(tx, l.subject, l.period, l.used, { requests: -released.requests, computeMs: -released.computeMs });
    return { held, figures: f };
  });
}

/** Owners of quota leases whose instance lease is not live at `now` (lapsed, or gone altogether). */
async function staleLeaseOwners(now: Date): Promise<string[]> {
  const owners = (await db().quotaLease.findMany({ distinct: ["instanceId"], select: { instanceId: true }, take: 1_000 })).map((r) => r.instanceId);
  if (!owners.length) return [];
  const live = await db().instanceLease.findMany({ where: { instanceId: { in: owners }, expiresAt: { gte: now } }, select: { instanceId: true } });
  const liveIds = new Set(live.map((r) => r.instanceId));
  return owners.filter((o) => !liveIds.has(o));
}

/** Reclaims the quota leases of instances whose lease is not live at `now`; returns how many. */
export async function reclaimStaleLeases(now: Date): Promise<number> {
  const owners = await staleLeaseOwners(now);
  if (!owners.length) return 0;
  const rows = await db().quotaLease.findMany({ where: { instanceId: { in: owners } }, select: { id: true, subject: true, period: true }, take: 500 });
  let reclaimed = 0;
  for (const row of rows) {
    const done = await db().$transaction(async (tx) => {
      await lockCounter(tx, row.subject, row.period);
      // Read under the counter's lock: a write-back of the owner that committed first has already taken its part.
      const lease = await tx.quotaLease.findUnique({ where: { id: row.id }, select: { requests: true, computeMs: true } });
      if (!lease) return false;
      await tx.quotaLease.delete({ where: { id: row.id } });
      await adjustCounter(tx, row.subject, row.period, { requests: 0, computeMs: 0 }, { requests: -lease.requests, computeMs: -lease.computeMs });
      return true;
    });
    if (done) reclaimed++;
  }
  return reclaimed;
}
