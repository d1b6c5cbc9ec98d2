import type { JobRow } from "@/lib/db/jobs";

/**
 * The job as the API, the webhooks and the portal show it (snake_case). Built here, below the HTTP edge, because a
 * webhook carries the same object the API answers with; lib/api passes it through its output schema.
 */
export interface JobObject {
  id: string;
  object: "job";
  task: string;
  model: string;
  model_version: string | null;
  status: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  expires_at: string | null;
  progress: { done: number; total: number | null; unit: string };
  file: { name: string | null; format: string; bytes: number };
  options: Record<string, unknown>;
  metadata: unknown;
  webhook_url: string | null;
  usage: { compute_ms: number; units: number };
  selection: unknown;
  result: unknown;
  error: { type: string; code: string; message: string } | null;
  error_i18n: unknown;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

export function jobObject(row: JobRow): JobObject {
  const done = row.unit === "audio_s" ? round(row.done, 3) : row.done;
  return {
    id: row.id,
    object: "job",
    task: row.task,
    model: row.modelId,
    model_version: row.modelVersion,
    status: row.status,
    created_at: row.createdAt.toISOString(),
    started_at: iso(row.startedAt),
    finished_at: iso(row.finishedAt),
    expires_at: iso(row.expiresAt),
    progress: { done, total: row.total === null ? null : row.unit === "audio_s" ? round(row.total, 3) : row.total, unit: row.unit },
    file: { name: row.fileName, format: row.format, bytes: row.fileBytes },
    options: (row.options ?? {}) as Record<string, unknown>,
    metadata: row.metadata ?? null,
    webhook_url: row.webhookUrl,
    usage: { compute_ms: round(row.computeMs, 2), units: done },
    selection: row.selection ?? null,
    result: row.result ?? null,
    error: row.errorCode ? { type: row.errorType ?? "job_error", code: row.errorCode, message: row.errorMessage ?? "" } : null,
    error_i18n: row.errorI18n ?? null,
  };
}
