/**
 * The training-runs API's objects as the admin pages read them (`GET /api/v1/training-runs[/{id}]`, the preview).
 * Written to the shape of lib/api/schemas/training-runs.ts (h14-runs) until that schema is merged and can be
 * imported; `i18n` is a catalog message (lib/i18n/message.ts) next to the English `message`.
 */
export type RunStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";
export type Objective = "balanced" | "most_accurate" | "fastest";

interface Said {
  message: string;
  i18n?: unknown;
}

export interface BadRow extends Said {
  line: number;
  reason: string;
}

export interface DatasetCounts {
  format: "csv" | "jsonl";
  rows: number;
  labels: { label: string; count: number }[];
  bad_rows: BadRow[];
  bad_row_count: number;
}

export interface DatasetPreview extends DatasetCounts {
  object: "dataset_preview";
  bytes: number;
  /** Why no classifier can be trained on it (what starting a run would answer), or null. */
  error: (Said & { code: string }) | null;
}

export interface CurvePoint {
  candidate: string;
  epoch: number;
  train_loss: number;
  valid_loss: number;
}

export interface RunCandidate {
  version: string;
  /** The trainer's name, as the loss curve names it. */
  name: string;
  kind: "linear" | "mlp";
  accuracy: number;
  macro_f1: number;
  params: number;
  bytes: number;
  train_ms: number;
  /** Its share of the model's requests now; null when the version was deleted. */
  traffic_percent: number | null;
}

export interface TrainingRun {
  id: string;
  object: "training_run";
  model_id: string;
  name: string | null;
  description: string | null;
  task: string;
  status: RunStatus;
  options: { budget_s: number; objective: Objective; seed: number };
  progress: { phase: string; fraction: number; candidate?: string; epoch?: number };
  dataset: DatasetCounts & { name: string | null; sha256: string; bytes: number };
  curve: CurvePoint[];
  candidates: RunCandidate[];
  best: string | null;
  error: (Said & { code: string }) | null;
  created_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export const isLive = (s: RunStatus | undefined) => s === "queued" || s === "running";
