import "server-only";
/**
 * Reads this host's benchmark table (cached for a few seconds: `model=auto` consults it on every request) and
 * shapes the frontier view the API and the Selection page share.
 */
import { latestFigures, otherBenchmarkHosts } from "@/lib/db/benchmarks";
import { listModelRows } from "@/lib/db/models";
import type { Task } from "@/lib/models/catalog";
import { deployability } from "./deployability";
import { paretoFrontier } from "./frontier";
import { currentHost, describeHost, type HostInfo } from "./host";
import { servableTasks, taskServables } from "./servables";
import { buildTable, p95At, type ModelFigures } from "./table";

const TTL_MS = 5_000;
const g = globalThis as unknown as { __paretoBenchTable?: { at: number; fingerprint: string; table: Map<string, ModelFigures> } };

/** Drops the cached table (the runner calls this after writing rows). */
export function invalidateTable(): void {
  g.__paretoBenchTable = undefined;
}

export async function loadTable(): Promise<Map<string, ModelFigures>> {
  const { fingerprint } = currentHost();
  const c = g.__paretoBenchTable;
  if (c && c.fingerprint === fingerprint && Date.now() - c.at < TTL_MS) return c.table;
  const [figures, rows] = await Promise.all([latestFigures(fingerprint), listModelRows()]);
  const tasks = servableTasks(rows);
  const table = buildTable(figures, (id) => tasks.get(id));
  g.__paretoBenchTable = { at: Date.now(), fingerprint, table };
  return table;
}

/** The concurrency the frontier's latency axis is stated at (the router's base figure too). */
export const FRONTIER_CONCURRENCY = 1;

function latencyRows(f: ModelFigures) {
  return Object.entries(f.latency)
    .map(([c, l]) => ({ concurrency: Number(c), p50_ms: l!.p50, p95_ms: l!.p95, p99_ms: l!.p99, throughput_rps: l!.throughputRps, samples: l!.samples }))
    .sort((a, b) => a.concurrency - b.concurrency);
}

function hostOut(fingerprint: string, h: HostInfo) {
  return { fingerprint, description: describeHost(h), cpu_model: h.cpuModel, cores: h.cores, memory_mb: h.memoryMb, onnxruntime: h.onnxruntime, node: h.node };
}

/**
 * Everything the frontier chart and leaderboard show for one task (snake_case: it is also the API body): built-ins
 * and uploaded versions alike. `tensor` models have no task frontier (each is its own task); their figures are on
 * their model card (versionFigures).
 */
export async function frontierView(task: Exclude<Task, "tensor">, family?: string) {
  const { fingerprint, host } = currentHost();
  const [table, rows, others] = await Promise.all([loadTable(), listModelRows(), otherBenchmarkHosts(fingerprint)]);
  // Text classifiers of different families answer different questions: one family's variants per frontier.
  const servables = taskServables(rows, task).filter((s) => family === undefined || s.entry.family === family);
  const entries = servables.map((s) => s.entry);
  const measured = servables
    .map(({ entry: e, row }) => ({ e, row, f: table.get(e.id) }))
    .filter((x): x is (typeof x & { f: ModelFigures }) => x.f?.accuracy != null && p95At(x.f, FRONTIER_CONCURRENCY) !== null);
  const byLatency = paretoFrontier(measured.map(({ e, f }) => ({ model: e.id, accuracy: f.accuracy!, cost: p95At(f, FRONTIER_CONCURRENCY)! })));
  const withMemory = measured.filter(({ f }) => f.memoryPeakMb !== null);
  const byMemory = paretoFrontier(withMemory.map(({ e, f }) => ({ model: e.id, accuracy: f.accuracy!, cost: f.memoryPeakMb! })));
  const points = measured.map(({ e, f, row }) => {
    const lat = byLatency.find((p) => p.model === e.id)!;
    const mem = byMemory.find((p) => p.model === e.id);
    const l1 = f.latency[FRONTIER_CONCURRENCY]!;
    return {
      model: e.id,
      model_id: e.modelId,
      version: e.builtIn ? null : e.version,
      built_in: e.builtIn,
      name: e.displayName,
      // The chart's label: a built-in's id, an upload's `<name> · <version>`.
      label: e.builtIn ? e.id : e.displayName,
      default: row ? row.isDefault : Boolean(e.isTaskDefault),
      enabled: row?.enabled ?? true,
      accuracy: f.accuracy!,
      accuracy_metric: task === "ocr" ? "1 − CER" : task === "text" ? "top-1 accuracy" : "frame F1",
      detail: f.detail,
      p50_ms: l1.p50,
      p95_ms: l1.p95!,
      p99_ms: l1.p99,
      latency: latencyRows(f),
      memory_mb: f.memoryPeakMb,
      cold_load_ms: f.coldLoadMs,
      file_size_bytes: f.fileSizeBytes,
      opset: f.opset,
      dynamic_axes: f.dynamicAxes,
      custom_ops: f.customOps,
      on_frontier: lat.onFrontier,
      dominated_by: lat.dominatedBy,
      tied_with: lat.tiedWith,
      on_memory_frontier: mem?.onFrontier ?? null,
      deployability: deployability({
        fileSizeBytes: f.fileSizeBytes,
        coldLoadMs: f.coldLoadMs,
        memoryMb: f.memoryPeakMb,
        opset: f.opset,
        customOps: f.customOps,
        dynamicAxes: f.dynamicAxes,
        license: e.license,
      }).score,
      license: e.license,
      measured_at: f.measuredAt,
      conditions: { accuracy: f.accuracyConditions, latency: f.latencyConditions },
    };
  });
  return {
    object: "selection.frontier" as const,
    task,
    concurrency: FRONTIER_CONCURRENCY,
    host: hostOut(fingerprint, host),
    other_hosts: others.map((o) => ({
      fingerprint: o.hostFingerprint,
      description: o.host && typeof o.host === "object" ? describeHost(o.host as unknown as HostInfo) : o.hostFingerprint,
      measured_at: o.measuredAt.toISOString(),
    })),
    points: points.sort((a, b) => a.p95_ms - b.p95_ms || b.accuracy - a.accuracy),
    unmeasured: entries.filter((e) => !measured.some((m) => m.e.id === e.id)).map((e) => e.id),
  };
}

export type FrontierView = Awaited<ReturnType<typeof frontierView>>;
