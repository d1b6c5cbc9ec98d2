import "server-only";
import { orNull, quantileSorted } from "@/lib/stats";
import { db, type Prisma } from "./client";
import { rollupsIn } from "./usage-rollup";

export interface UsageFilter {
  userId?: string;
  apiKeyId?: string;
  modelId?: string;
  from: Date;
  to: Date;
}

function where(f: UsageFilter): Prisma.UsageEventWhereInput {
  return {
    userId: f.userId,
    apiKeyId: f.apiKeyId,
    modelId: f.modelId,
    createdAt: { gte: f.from, lt: f.to },
  };
}

/** Rows scanned for one summary; dashboards over longer ranges should narrow the filter. */
const SCAN_LIMIT = 200_000;

/** Latency percentile as the dashboard shows it (lib/stats' definition); null when there are no latencies. */
function percentile(sorted: readonly number[], q: number): number | null {
  return orNull(quantileSorted(sorted, q));
}

interface Bucket {
  requests: number;
  errors: number;
  computeMs: number;
  units: number;
}

const empty = (): Bucket => ({ requests: 0, errors: 0, computeMs: 0, units: 0 });

/**
 * Totals, per-day/per-model/per-key series, error codes and latency percentiles for a filtered range: the raw
 * events plus the daily roll-ups of events past the retention window (lib/db/usage-rollup.ts), so totals do not
 * change when raw events are rolled up. Latency percentiles need every latency: they cover the raw events only.
 */
export async function usageSummary(f: UsageFilter) {
  const [rows, rollups] = await Promise.all([
    db().usageEvent.findMany({
      where: where(f),
      select: { createdAt: true, modelId: true, apiKeyId: true, userId: true, status: true, errorCode: true, latencyMs: true, computeMs: true, units: true },
      orderBy: { createdAt: "asc" },
      take: SCAN_LIMIT,
    }),
    rollupsIn(f),
  ]);
  const totals = empty();
  const byDay = new Map<string, Bucket>();
  const byModel = new Map<string, Bucket>();
  const byKey = new Map<string, Bucket>();
  const byUser = new Map<string, Bucket>();
  const errors = new Map<string, number>();
  const latencies: number[] = [];
  // One raw event is a bucket of one request; a roll-up row a bucket of many.
  const add = (m: Map<string, Bucket> | null, k: string, x: Bucket) => {
    const b = m ? (m.get(k) ?? empty()) : totals;
    b.requests += x.requests;
    b.errors += x.errors;
    b.computeMs += x.computeMs;
    b.units += x.units;
    m?.set(k, b);
  };
  const count = (x: Bucket, day: string, r: { modelId: string | null; apiKeyId: string | null; userId: string | null; errorCode: string | null }) => {
    add(null, "", x);
    add(byDay, day, x);
    if (r.modelId) add(byModel, r.modelId, x);
    add(byKey, r.apiKeyId ?? "playground", x);
    if (r.userId) add(byUser, r.userId, x);
    if (r.errorCode) errors.set(r.errorCode, (errors.get(r.errorCode) ?? 0) + x.requests);
  };
  // Older days first, so by_day stays in date order.
  for (const r of [...rollups].sort((a, b) => a.day.getTime() - b.day.getTime())) count(r, r.day.toISOString().slice(0, 10), r);
  for (const r of rows) {
    const err = r.status >= 400;
    count({ requests: 1, errors: err ? 1 : 0, computeMs: r.computeMs, units: r.units }, r.createdAt.toISOString().slice(0, 10), r);
    if (!err) latencies.push(r.latencyMs);
  }
  latencies.sort((a, b) => a - b);
  const list = (m: Map<string, Bucket>) => [...m].map(([k, b]) => ({ key: k, ...b })).sort((a, b) => b.requests - a.requests);
  return {
    truncated: rows.length === SCAN_LIMIT,
    totals,
    latency: { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), p99: percentile(latencies, 0.99) },
    byDay: [...byDay].map(([day, b]) => ({ day, ...b })),
    byModel: list(byModel),
    byKey: list(byKey),
    byUser: list(byUser),
    errorsByCode: [...errors].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count),
  };
}

export function recentUsage(f: UsageFilter, take = 100) {
  return db().usageEvent.findMany({
    where: where(f),
    orderBy: { createdAt: "desc" },
    take: Math.min(take, 1000),
    select: { requestId: true, createdAt: true, modelId: true, apiKeyId: true, route: true, method: true, status: true, errorCode: true, latencyMs: true, computeMs: true, units: true, unitKind: true, source: true },
  });
}

