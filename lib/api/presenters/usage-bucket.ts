/** A usage aggregate (requests, errors, compute, units) as the usage reports show it, rounded for reading. */
export function presentBucket(x: { requests: number; errors: number; computeMs: number; units: number }) {
  return {
    requests: x.requests,
    errors: x.errors,
    compute_ms: Math.round(x.computeMs * 100) / 100,
    units: Math.round(x.units * 1000) / 1000,
  };
}

const ms = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

/** Per-version usage of uploaded models (lib/db/usage.ts byVersion) as the usage reports show it. */
export function presentVersions(rows: readonly { model: string; version: string; requests: number; errors: number; computeMs: number; units: number; meanLatencyMs: number | null; p95LatencyMs: number | null }[]) {
  return rows.map((v) => ({ model: v.model, version: v.version, ...presentBucket(v), mean_latency_ms: ms(v.meanLatencyMs), p95_latency_ms: ms(v.p95LatencyMs) }));
}
