import "server-only";
import { db, type Prisma } from "./client";

/*
 * Retention of raw usage events: those older than a cutoff are summed per UTC day, user, key, model, model version
 * (uploaded models; null for built-ins), source, route and error code into UsageRollup rows, and deleted, in one transaction. Two instances may run this at once: each
 * deletes exactly the events it summed, and when the delete removes fewer rows than it read (the other instance
 * took some first) the transaction rolls back, so no event is ever counted twice or lost.
 */

const BATCH = 5_000;

const dayOf = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

type Row = { id: string; createdAt: Date; userId: string | null; apiKeyId: string | null; modelId: string | null; modelVersion: string | null; source: string; route: string; errorCode: string | null; status: number; latencyMs: number; computeMs: number; units: number };

function sum(rows: Row[]): Prisma.UsageRollupCreateManyInput[] {
  const groups = new Map<string, Prisma.UsageRollupCreateManyInput>();
  for (const r of rows) {
    const day = dayOf(r.createdAt);
    const k = JSON.stringify([day.getTime(), r.userId, r.apiKeyId, r.modelId, r.modelVersion, r.source, r.route, r.errorCode]);
    let g = groups.get(k);
    if (!g) {
      g = { day, userId: r.userId, apiKeyId: r.apiKeyId, modelId: r.modelId, modelVersion: r.modelVersion, source: r.source, route: r.route, errorCode: r.errorCode, requests: 0, errors: 0, computeMs: 0, units: 0, okRequests: 0, okLatencyMs: 0 };
      groups.set(k, g);
    }
    g.requests++;
    if (r.status >= 400) g.errors++;
    else {
      g.okRequests++;
      g.okLatencyMs += r.latencyMs;
    }
    g.computeMs += r.computeMs;
    g.units += r.units;
  }
  return [...groups.values()];
}

class Contended extends Error {}

/** Rolls up one batch of events older than `cutoff`; returns how many were rolled up (0: nothing left). */
async function rollUpBatch(cutoff: Date): Promise<number> {
  try {
    return await db().$transaction(async (tx) => {
      const rows: Row[] = await tx.usageEvent.findMany({
        where: { createdAt: { lt: cutoff } },
        orderBy: { createdAt: "asc" },
        take: BATCH,
        select: { id: true, createdAt: true, userId: true, apiKeyId: true, modelId: true, modelVersion: true, source: true, route: true, errorCode: true, status: true, latencyMs: true, computeMs: true, units: true },
      });
      if (!rows.length) return 0;
      const { count } = await tx.usageEvent.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
      if (count !== rows.length) throw new Contended();
      await tx.usageRollup.createMany({ data: sum(rows) });
      return rows.length;
    });
  } catch (e) {
    if (e instanceof Contended) return -1;
    throw e;
  }
}

/** Rolls up and deletes every usage event older than `cutoff`; returns how many. Stops early when contended. */
export async function rollUpUsageBefore(cutoff: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await rollUpBatch(cutoff);
    if (n <= 0) return total;
    total += n;
  }
}

export interface RollupFilter {
  userId?: string;
  apiKeyId?: string;
  modelId?: string;
  from: Date;
  to: Date;
}

/** Roll-ups for a range: a day counts whole when the range touches it (events keep only their day once rolled up). */
export function rollupsIn(f: RollupFilter) {
  return db().usageRollup.findMany({
    where: { userId: f.userId, apiKeyId: f.apiKeyId, modelId: f.modelId, day: { gte: dayOf(f.from), lt: f.to } },
    select: { day: true, userId: true, apiKeyId: true, modelId: true, modelVersion: true, errorCode: true, requests: true, errors: true, computeMs: true, units: true, okRequests: true, okLatencyMs: true },
  });
}
