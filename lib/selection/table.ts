/**
 * The benchmark table: stored rows (one host's) folded into one record of figures per model. The latest figure per
 * (model, metric, concurrency) wins — lib/db/latest-figures.ts defines that once, for every reader — so a cancelled
 * run's partial results add to, never erase, earlier ones; each figure keeps the conditions it was measured under.
 * Pure: unit-tested on hand-made rows.
 */
import { keepLatest } from "@/lib/db/latest-figures";
import { catalogEntry, type Task } from "@/lib/models/catalog";

export interface StoredRow {
  modelId: string;
  runId?: string | null;
  metric: string;
  value: number;
  unit?: string | null;
  conditions: unknown;
  measuredAt: Date | string;
}

export interface LatencyFigures {
  p50: number | null;
  p95: number | null;
  p99: number | null;
  mean: number | null;
  throughputRps: number | null;
  computeMeanMs: number | null;
  samples: number | null;
  errors: number | null;
}

export interface ModelFigures {
  modelId: string;
  task: Task;
  /** Task accuracy: 1 − CER for OCR, frame F1 for VAD, argmax accuracy for a tensor model with a labelled eval file. */
  accuracy: number | null;
  /** cer, cer_no_spaces (OCR); precision, recall, f1 (VAD); mae (a tensor model scored by mean absolute error); macro_f1 (text). */
  detail: Record<string, number>;
  latency: Partial<Record<number, LatencyFigures>>;
  memoryPeakMb: number | null;
  memoryLoadMb: number | null;
  coldLoadMs: number | null;
  fileSizeBytes: number | null;
  opset: number | null;
  dynamicAxes: number | null;
  customOps: number | null;
  /** Conditions of the accuracy figure and of the c=1 latency figure, as stored. */
  accuracyConditions: Record<string, unknown> | null;
  latencyConditions: Record<string, unknown> | null;
  measuredAt: string | null;
}

const DETAIL = new Set(["cer", "cer_no_spaces", "precision", "recall", "f1", "mae", "macro_f1"]);
const LATENCY: Record<string, keyof LatencyFigures> = {
  latency_p50_ms: "p50",
  latency_p95_ms: "p95",
  latency_p99_ms: "p99",
  latency_mean_ms: "mean",
  throughput_rps: "throughputRps",
  compute_mean_ms: "computeMeanMs",
};

function cond(c: unknown): Record<string, unknown> {
  return c && typeof c === "object" && !Array.isArray(c) ? (c as Record<string, unknown>) : {};
}

function emptyLatency(): LatencyFigures {
  return { p50: null, p95: null, p99: null, mean: null, throughputRps: null, computeMeanMs: null, samples: null, errors: null };
}

export function emptyFigures(modelId: string, task: Task): ModelFigures {
  return {
    modelId,
    task,
    accuracy: null,
    detail: {},
    latency: {},
    memoryPeakMb: null,
    memoryLoadMb: null,
    coldLoadMs: null,
    fileSizeBytes: null,
    opset: null,
    dynamicAxes: null,
    customOps: null,
    accuracyConditions: null,
    latencyConditions: null,
    measuredAt: null,
  };
}

const catalogTask = (id: string): Task | undefined => catalogEntry(id)?.task;

/**
 * Rows in any order (usually latestFigures' already), keyed by servable id: a built-in's model id or
 * `<model>@<version>`. `taskOf` names each servable's task (default: the built-in catalog); servables it does not
 * know (a removed model or version) are ignored.
 */
export function buildTable(rows: readonly StoredRow[], taskOf: (servableId: string) => Task | undefined = catalogTask): Map<string, ModelFigures> {
  const out = new Map<string, ModelFigures>();
  for (const r of keepLatest(rows.map((x) => ({ ...x, measuredAt: new Date(x.measuredAt) })))) {
    const task = taskOf(r.modelId);
    if (!task) continue;
    const c = cond(r.conditions);
    const concurrency = typeof c.concurrency === "number" ? c.concurrency : null;
    let f = out.get(r.modelId);
    if (!f) out.set(r.modelId, (f = emptyFigures(r.modelId, task)));
    const at = r.measuredAt.toISOString();
    if (!f.measuredAt || at > f.measuredAt) f.measuredAt = at;
    if (r.metric === "accuracy") {
      f.accuracy = r.value;
      f.accuracyConditions = c;
    } else if (DETAIL.has(r.metric)) f.detail[r.metric] = r.value;
    else if (r.metric in LATENCY && concurrency !== null) {
      const l = (f.latency[concurrency] ??= emptyLatency());
      l[LATENCY[r.metric]] = r.value;
      if (r.metric === "latency_p95_ms") {
        l.samples = typeof c.samples === "number" ? c.samples : null;
        l.errors = typeof c.errors === "number" ? c.errors : null;
        if (concurrency === 1) f.latencyConditions = c;
      }
    } else if (r.metric === "memory_peak_mb") f.memoryPeakMb = r.value;
    else if (r.metric === "memory_load_mb") f.memoryLoadMb = r.value;
    else if (r.metric === "cold_load_ms") f.coldLoadMs = r.value;
    else if (r.metric === "file_size_bytes") f.fileSizeBytes = r.value;
    else if (r.metric === "opset") f.opset = r.value;
    else if (r.metric === "dynamic_axes") f.dynamicAxes = r.value;
    else if (r.metric === "custom_ops") f.customOps = r.value;
  }
  return out;
}

/** The p95 at a concurrency level, or null when not measured. */
export function p95At(f: ModelFigures, concurrency: number): number | null {
  return f.latency[concurrency]?.p95 ?? null;
}
