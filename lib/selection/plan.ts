/**
 * What a benchmark run measures, by mode, and the shape of its progress record. Shared by the runner, the
 * admin API and the progress UI (no server imports here).
 */
export type BenchMode = "quick" | "full";

export const CONCURRENCIES = [1, 4, 16] as const;
export type Concurrency = (typeof CONCURRENCIES)[number];

export const STEPS = ["static", "load", "accuracy", "latency_c1", "latency_c4", "latency_c16"] as const;
export type StepName = (typeof STEPS)[number];

export interface ModePlan {
  /** Eval subset sizes; undefined = the whole set. */
  ocrItems?: number;
  vadItems?: number;
  /** Items of an uploaded tensor model's eval file (undefined = all of it). */
  tensorItems?: number;
  /** Items of a text model's eval set, taken round-robin over its labels (undefined = all of it). */
  textItems?: number;
  /** Requests sent per concurrency level. */
  samples: Record<Concurrency, number>;
  /** Concurrent requests of the accuracy pass (its outputs don't depend on it; it only saves time). */
  accuracyConcurrency: number;
}

/**
 * quick: the first-start run, ≈ 30 s for the 7 variants on 2 idle cores (8 images, 8 clips, 24/32/48 requests per
 * level; p99 of so few samples is the max, p95 the second largest at c=1 — read them as such). full: both whole
 * eval sets and enough requests for stable tails.
 */
export const MODES: Record<BenchMode, ModePlan> = {
  quick: { ocrItems: 8, vadItems: 8, tensorItems: 64, textItems: 640, samples: { 1: 24, 4: 32, 16: 48 }, accuracyConcurrency: 4 },
  full: { samples: { 1: 100, 4: 200, 16: 400 }, accuracyConcurrency: 4 },
};

export type StepStatus = "pending" | "running" | "done" | "failed" | "skipped" | "cancelled";

export interface StepProgress {
  name: StepName;
  status: StepStatus;
  done?: number;
  total?: number;
  ms?: number;
  error?: string;
}

export interface RunProgress {
  mode: BenchMode;
  hostFingerprint: string;
  models: { id: string; task: string; steps: StepProgress[] }[];
  current: { model: string; step: StepName } | null;
  /** Refreshed while the run works; a "running" run without a recent heartbeat was interrupted. */
  heartbeatAt: string;
}

export type RunStatus = "running" | "cancelling" | "cancelled" | "succeeded" | "failed";

export function isFinished(status: string): boolean {
  return status === "cancelled" || status === "succeeded" || status === "failed";
}

/** Fraction of a run's steps that have finished, for progress bars (0..1). */
export function fractionDone(p: Pick<RunProgress, "models">): number {
  const steps = p.models.flatMap((m) => m.steps);
  if (!steps.length) return 0;
  const finished = steps.reduce((s, st) => s + (st.status === "running" && st.total ? (st.done ?? 0) / st.total : st.status === "pending" ? 0 : st.status === "running" ? 0 : 1), 0);
  return finished / steps.length;
}
