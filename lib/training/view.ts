import "server-only";
/**
 * A training run as the service hands it out: the row's JSON columns read back into their types (defensively — a
 * row written by an older version must still present), plus each candidate's live traffic share from the registry.
 */
import type { TrainingRunRow } from "@/lib/db/training-runs";
import type { Message } from "@/lib/i18n/message";
import type { DatasetReport } from "./dataset";
import type { CandidateMetrics, Objective } from "./train";

export type RunStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";
export type RunPhase = "parsing" | "features" | "search" | "final" | "registering" | "done";

export interface RunOptions {
  budgetS: number;
  objective: Objective;
  seed: number;
}

export interface RunProgress {
  phase: RunPhase;
  /** 0..1 of the whole run (training up to 0.95, registering the rest). */
  fraction: number;
  candidate?: string;
  epoch?: number;
}

export interface CurvePoint {
  candidate: string;
  epoch: number;
  trainLoss: number;
  validLoss: number;
}

/** A candidate the run registered: a version of the run's model. */
export interface RegisteredCandidate {
  version: string;
  /** The trainer's name for it (e.g. "linear-b18"). */
  name: string;
  kind: "linear" | "mlp";
  hyper: Record<string, number>;
  metrics: CandidateMetrics;
}

export interface RunError {
  code: string;
  message: string;
  i18n?: Message;
}

export interface RunView {
  id: string;
  modelId: string;
  name: string | null;
  description: string | null;
  task: string;
  status: RunStatus;
  options: RunOptions;
  progress: RunProgress;
  dataset: DatasetReport & { name: string | null; sha256: string };
  curve: CurvePoint[];
  candidates: (RegisteredCandidate & { trafficPercent: number | null })[];
  best: string | null;
  error: RunError | null;
  createdByEmail: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

const record = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const array = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

/** The row as a RunView; `traffic` maps this run's versions to their current share (absent: the version is gone). */
export function runView(row: TrainingRunRow, traffic: ReadonlyMap<string, number> = new Map()): RunView {
  const options = record(row.options);
  const progress = record(row.progress);
  const dataset = record(row.dataset);
  return {
    id: row.id,
    modelId: row.modelId,
    name: row.name,
    description: row.description,
    task: row.task,
    status: row.status as RunStatus,
    options: { budgetS: Number(options.budgetS ?? 0), objective: (options.objective as Objective) ?? "balanced", seed: Number(options.seed ?? 0) },
    progress: {
      phase: (progress.phase as RunPhase) ?? "parsing",
      fraction: Number(progress.fraction ?? 0),
      ...(typeof progress.candidate === "string" ? { candidate: progress.candidate } : {}),
      ...(typeof progress.epoch === "number" ? { epoch: progress.epoch } : {}),
    },
    dataset: {
      format: dataset.format === "jsonl" ? "jsonl" : "csv",
      rows: Number(dataset.rows ?? 0),
      labels: array<{ label: string; count: number }>(dataset.labels),
      badRows: array(dataset.badRows),
      badRowCount: Number(dataset.badRowCount ?? 0),
      bytes: Number(dataset.bytes ?? 0),
      name: row.datasetName,
      sha256: row.datasetSha256,
    },
    curve: array<CurvePoint>(row.curve),
    candidates: array<RegisteredCandidate>(row.candidates).map((c) => ({ ...c, trafficPercent: traffic.get(c.version) ?? null })),
    best: row.best,
    error: row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? row.errorCode, ...(row.errorI18n ? { i18n: row.errorI18n as unknown as Message } : {}) } : null,
    createdByEmail: row.createdByEmail,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}
