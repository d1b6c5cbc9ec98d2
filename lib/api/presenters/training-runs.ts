import "server-only";
import type { DatasetReport } from "@/lib/training/dataset";
import type { RunError, RunView } from "@/lib/training/view";
import { datasetPreviewOutput, trainingRunOutput } from "../schemas/training-runs";

const MAX_BAD_ROWS = 100;

function counts(d: DatasetReport) {
  return {
    format: d.format,
    rows: d.rows,
    labels: d.labels.map((l) => ({ label: l.label, count: l.count })),
    bad_rows: d.badRows.slice(0, MAX_BAD_ROWS).map((b) => ({ line: b.line, reason: b.reason, message: b.message, ...(b.i18n ? { i18n: b.i18n } : {}) })),
    bad_row_count: d.badRowCount,
  };
}

const errorOf = (e: RunError | null) => (e ? { code: e.code, message: e.message, ...(e.i18n ? { i18n: e.i18n } : {}) } : null);

/** A training run through its output schema (who started it is for admins, like every route here). */
export function presentTrainingRun(r: RunView) {
  return trainingRunOutput.parse({
    id: r.id,
    object: "training_run",
    model_id: r.modelId,
    name: r.name,
    description: r.description,
    task: r.task,
    status: r.status,
    options: { budget_s: r.options.budgetS, objective: r.options.objective, seed: r.options.seed },
    progress: r.progress,
    dataset: { name: r.dataset.name, sha256: r.dataset.sha256, bytes: r.dataset.bytes, ...counts(r.dataset) },
    curve: r.curve.map((c) => ({ candidate: c.candidate, epoch: c.epoch, train_loss: c.trainLoss, valid_loss: c.validLoss })),
    candidates: r.candidates.map((c) => ({
      version: c.version,
      name: c.name,
      kind: c.kind,
      accuracy: c.metrics.accuracy,
      macro_f1: c.metrics.macroF1,
      params: c.metrics.params,
      bytes: c.metrics.bytes,
      train_ms: c.metrics.trainMs,
      traffic_percent: c.trafficPercent,
    })),
    best: r.best,
    error: errorOf(r.error),
    created_by: r.createdByEmail,
    created_at: r.createdAt.toISOString(),
    started_at: r.startedAt?.toISOString() ?? null,
    finished_at: r.finishedAt?.toISOString() ?? null,
  });
}

export function presentDatasetPreview(p: { report: DatasetReport; refusal: RunError | null }) {
  return datasetPreviewOutput.parse({ object: "dataset_preview", ...counts(p.report), bytes: p.report.bytes, error: errorOf(p.refusal) });
}
