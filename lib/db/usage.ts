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

/** One version of an uploaded model: a canary is judged on these before promotion. */
interface VersionBucket extends Bucket {
  model: string;
  version: string;
  /** Successful requests and their summed latency (raw events and roll-ups: the mean survives retention). */
  okRequests: number;
  okLatencyMs: number;
  /** Latencies of the raw successful events (percentiles need every one; roll-ups keep only the sum). */
  latencies: number[];
}

/**
 * Totals, per-day/per-model/per-key series, error codes and latency percentiles for a filtered range: the raw
 * events plus the daily roll-ups of events past the retention window (lib/db/usage-rollup.ts), so totals do not
 * change when raw events are rolled up. Latency percentiles need every latency: they cover the raw events only.
 */
export async function usageSummary(f: UsageFilter) {
  const [rows, rollups] = await Promise.all([
    db().usageEvent.findMany({
      where: where(f),
      select: { createdAt: true, modelId: true, modelVersion: true, apiKeyId: true, userId: true, status: true, errorCode: true, latencyMs: true, computeMs: true, units: true },
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
  const byVersion = new Map<string, VersionBucket>();
  const errors = new Map<string, number>();
  const latencies: number[] = [];
  const addVersion = (model: string | null, version: string | null, x: Bucket, ok: { requests: number; latencyMs: number }, latency?: number) => {
    if (!model || version === null) return;
    const k = JSON.stringify([model, version]);
    const b = byVersion.get(k) ?? { model, version, ...empty(), okRequests: 0, okLatencyMs: 0, latencies: [] };
    add(null, "", x, b);
    b.okRequests += ok.requests;
    b.okLatencyMs += ok.latencyMs;
    if (latency !== undefined) b.latencies.push(latency);
    byVersion.set(k, b);
  };
  // One raw event is a bucket of one request; a roll-up row a bucket of many.
  const add = (m: Map<string, Bucket> | null, k: string, x: Bucket, into: Bucket = totals) => {
    const b = m ? (m.get(k) ?? empty()) : into;
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
  for (const r of [...rollups].sort((a, b) => a.day.getTime() - b.day.getTime())) {
    count(r, r.day.toISOString().slice(0, 10), r);
    addVersion(r.modelId, r.modelVersion, r, { requests: r.okRequests, latencyMs: r.okLatencyMs });
  }
  for (const r of rows) {
    const err = r.status >= 400;
    const x = { requests: 1, errors: err ? 1 : 0, computeMs: r.computeMs, units: r.units };
    count(x, r.createdAt.toISOString().slice(0, 10), r);
    addVersion(r.modelId, r.modelVersion, x, { requests: err ? 0 : 1, latencyMs: err ? 0 : r.latencyMs }, err ? undefined : r.latencyMs);
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
    // Per model, then version, in the order versions sort as text.
    byVersion: [...byVersion.values()]
      .sort((a, b) => a.model.localeCompare(b.model) || a.version.localeCompare(b.version, undefined, { numeric: true }))
      .map(({ latencies: l, okRequests, okLatencyMs, ...b }) => {
        l.sort((x, y) => x - y);
        return { ...b, okRequests, meanLatencyMs: okRequests ? okLatencyMs / okRequests : null, p95LatencyMs: percentile(l, 0.95) };
      }),
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

