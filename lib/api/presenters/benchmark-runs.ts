import "server-only";
import type { BenchmarkRun } from "@/lib/selection/jobs";
import { fractionDone, type RunProgress } from "@/lib/selection/plan";
import { benchmarkRunOutput, type BenchmarkRunOutput } from "../schemas/selection";

/** A stored benchmark run as the API (and the Selection page) shows it, through the output schema. */
export function presentRun(r: BenchmarkRun): BenchmarkRunOutput {
  const p = r.progress as unknown as RunProgress;
  return benchmarkRunOutput.parse({
    id: r.id,
    object: "benchmark_run",
    status: r.status,
    mode: p.mode,
    host_fingerprint: p.hostFingerprint,
    fraction_done: Math.round(fractionDone(p) * 1000) / 1000,
    models: p.models,
    current: p.current,
    error: r.error,
    started_by: r.startedById,
    started_at: r.startedAt.toISOString(),
    finished_at: r.finishedAt?.toISOString() ?? null,
  });
}
