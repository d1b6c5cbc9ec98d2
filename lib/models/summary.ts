/**
 * The headline figures per model for catalog cards and sorting — p95 latency at concurrency 1, the task accuracy
 * and the deployability parts — the latest measured on the given host (callers pass this host's fingerprint so
 * other machines' figures never mix in). Written by the selection runner (lib/selection) as ModelBenchmark rows;
 * read by lib/db/headlines.ts, which hands this host's latest figures (lib/db/benchmarks.ts latestFigures) to `headlinesOf`.
 */
export interface Headline {
  p95Ms: number | null;
  accuracy: number | null;
  hostFingerprint: string | null;
  /** The measured parts of the deployability score (lib/selection/deployability.ts). */
  deploy: { fileSizeBytes: number | null; coldLoadMs: number | null; memoryMb: number | null; opset: number | null; customOps: number | null; dynamicAxes: number | null };
}

/** The fields of a benchmark row the headlines are made of. */
export interface HeadlineRow {
  modelId: string;
  metric: string;
  value: number;
  hostFingerprint: string | null;
  conditions: unknown;
}

const LATENCY = ["latency_p95_ms"];
const ACCURACY = ["accuracy"];
const DEPLOY: Record<string, keyof Headline["deploy"]> = {
  file_size_bytes: "fileSizeBytes",
  cold_load_ms: "coldLoadMs",
  memory_peak_mb: "memoryMb",
  opset: "opset",
  custom_ops: "customOps",
  dynamic_axes: "dynamicAxes",
};

function concurrencyOf(conditions: unknown): number | null {
  const c = (conditions as { concurrency?: unknown } | null)?.concurrency;
  return typeof c === "number" ? c : null;
}

/** Headlines per model from benchmark rows ordered newest first: the first value seen of each metric wins. */
export function headlinesOf(rows: readonly HeadlineRow[]): Record<string, Headline> {
  const out: Record<string, Headline> = {};
  for (const r of rows) {
    const h = (out[r.modelId] ??= {
      p95Ms: null,
      accuracy: null,
      hostFingerprint: r.hostFingerprint,
      deploy: { fileSizeBytes: null, coldLoadMs: null, memoryMb: null, opset: null, customOps: null, dynamicAxes: null },
    });
    const d = DEPLOY[r.metric];
    if (d && h.deploy[d] === null) h.deploy[d] = r.value;
    if (LATENCY.includes(r.metric) && h.p95Ms === null && (concurrencyOf(r.conditions) ?? 1) === 1) h.p95Ms = r.value;
    if (ACCURACY.includes(r.metric) && h.accuracy === null) h.accuracy = r.value;
  }
  return out;
}
