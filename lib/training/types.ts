/** The trainer's public types (the contract lib/training/runs.ts and the training worker code against). */
import type { TextModelSpec } from "@/lib/models/text/spec";
import type { TrainConfig } from "./configs";

export type Objective = "balanced" | "most_accurate" | "fastest";

export interface TrainOptions {
  /** Wall-clock budget for the whole search, seconds (default 120). */
  budgetS: number;
  /** Default "balanced". */
  objective: Objective;
  /** Default 1. */
  seed: number;
  /** Polled between mini-batches: true cancels (trainTextClassifier throws TrainingCancelled). */
  shouldStop?: () => boolean;
  /**
   * A fixed list of configurations instead of the staged search (scripts/train-langid.ts: the committed langid
   * variants). With a budget that lets them all finish, the result is a pure function of data, configs and seed.
   */
  configs?: readonly TrainConfig[];
  /** Throttled to ≤ 5 calls a second. */
  onProgress?: (p: TrainProgress) => void;
}

export interface TrainProgress {
  phase: "features" | "search" | "final";
  /** 0..1 of the whole run. */
  fraction: number;
  /** e.g. "linear-b18-c14-w12". */
  candidate?: string;
  epoch?: number;
  trainLoss?: number;
  validLoss?: number;
}

export interface CandidateMetrics {
  accuracy: number;
  macroF1: number;
  /** Mean log loss on the hold-out. */
  validLoss: number;
  params: number;
  /** Size of the ONNX file. */
  bytes: number;
  trainMs: number;
}

export interface TrainedCandidate {
  /** Version-safe: /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, e.g. "linear-b18-c14-w12", "mlp-b17-h64-c14-w12". */
  name: string;
  kind: "linear" | "mlp";
  hyper: Record<string, number>;
  spec: TextModelSpec;
  onnx: Uint8Array;
  /** On the hold-out. */
  metrics: CandidateMetrics;
}

export interface TrainResult {
  labels: string[];
  /** The frontier-worthy ones (2–5 when the budget allows), best first. */
  candidates: TrainedCandidate[];
  /** Name of the best by the objective. */
  best: string;
  /** Never trained on (nor early-stopped or selected on) by the search; the registry measures on it. */
  holdout: { text: string; label: string }[];
  curve: { candidate: string; epoch: number; trainLoss: number; validLoss: number }[];
}
