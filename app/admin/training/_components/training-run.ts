/**
 * The training-runs API's objects as the admin pages read them (`GET /api/v1/training-runs[/{id}]`, the preview).
 * Written from the shared contract (docs: the issue-14 brief) until the API's own output schema can be imported.
 */
export type RunStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";
export type Objective = "balanced" | "most_accurate" | "fastest";

export interface BadRow {
  line: number;
  reason: string;
  message: string;
}

export interface DatasetPreview {
  format: "csv" | "jsonl";
  rows: number;
  labels: { label: string; count: number }[];
  bad_rows: BadRow[];
  bad_row_count: number;
}

export interface CurvePoint {
  candidate: string;
  epoch: number;
  train_loss: number;
  valid_loss: number;
}

export interface RunCandidate {
  version: string;
  kind: string;
  accuracy: number;
  macro_f1: number;
  params: number;
  bytes: number;
  traffic_percent: number;
}

export interface TrainingRun {
  id: string;
  object: "training_run";
  model_id: string;
  name: string;
  task: string;
  status: RunStatus;
  options: { budget_s: number; objective: Objective; seed: number };
  progress: { phase: string; fraction: number; candidate?: string; epoch?: number } | null;
  dataset: DatasetPreview | null;
  curve: CurvePoint[];
  candidates: RunCandidate[];
  best: string | null;
  error: { code: string; message: string } | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export const isLive = (s: RunStatus | undefined) => s === "queued" || s === "running";

/**
 * Whether a registered version is the trainer's candidate `name`: versions are named `<run>-<candidate>` (or the
 * candidate's name itself), while the loss curve names candidates as the trainer does.
 */
export const isCandidate = (version: string | null | undefined, name: string) => !!version && (version === name || version.endsWith(`-${name}`));
