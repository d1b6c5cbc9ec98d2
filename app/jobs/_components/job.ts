/**
 * The jobs API's objects as the portal reads them (`GET /api/v1/jobs[/{id}]`, `…/deliveries`), per the shared
 * contract of issue 15, and the small rules the pages share: which statuses are live, which file goes to which task.
 */
export type JobTask = "ocr" | "vad";
export type JobStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";
export const JOB_STATUSES: JobStatus[] = ["queued", "running", "succeeded", "failed", "cancelled"];

export interface OcrLine {
  text: string;
  confidence: number;
  box: [number, number][];
}
export interface OcrPage {
  page: number;
  width: number;
  height: number;
  lines: OcrLine[];
}
export interface OcrJobResult {
  pages: OcrPage[];
}
export interface VadJobResult {
  duration_s: number;
  segments: { start: number; end: number }[];
}

export interface Job {
  id: string;
  object: "job";
  task: JobTask;
  model: string;
  model_version?: string | null;
  status: JobStatus;
  created_at: string;
  started_at?: string | null;
  finished_at?: string | null;
  progress: { done: number; total: number | null; unit: "page" | "audio_s" };
  file: { name: string | null; format: string; bytes: number };
  metadata?: Record<string, unknown> | null;
  webhook_url?: string | null;
  usage: { compute_ms: number; units: number };
  result?: OcrJobResult | VadJobResult | null;
  error?: { type: string; code: string; message: string; i18n?: unknown } | null;
  expires_at?: string | null;
}

export interface JobList {
  object: "list";
  data: Job[];
  has_more: boolean;
  next_cursor: string | null;
}

export interface Delivery {
  id: string;
  event: string;
  status: string;
  attempts: number;
  log: { at: string; status?: number | null; error?: string | null; duration_ms: number }[];
  next_attempt_at?: string | null;
  delivered_at?: string | null;
}

export const isLive = (s: JobStatus | undefined) => s === "queued" || s === "running";

/** The share of the work done (0–1), or null while the total is not known yet (the input has not been opened). */
export function jobFraction(j: Pick<Job, "status" | "progress">): number | null {
  if (j.status === "succeeded") return 1;
  const { done, total } = j.progress;
  if (total === null || total === undefined || !(total > 0)) return null;
  return Math.max(0, Math.min(1, done / total));
}

export const isOcrResult = (r: Job["result"]): r is OcrJobResult => !!r && Array.isArray((r as OcrJobResult).pages);
export const isVadResult = (r: Job["result"]): r is VadJobResult => !!r && Array.isArray((r as VadJobResult).segments);

/** File formats a job takes, by task: extensions and MIME types (browsers leave `type` empty for some, e.g. .opus). */
const FORMATS: { task: JobTask; ext: string[]; mime: RegExp }[] = [
  { task: "ocr", ext: ["pdf", "tif", "tiff", "png", "jpg", "jpeg", "webp"], mime: /^(application\/pdf|image\/(tiff|png|jpeg|webp))$/ },
  { task: "vad", ext: ["wav", "flac", "mp3", "ogg", "oga", "opus", "m4a", "mp4", "aac"], mime: /^audio\// },
];

/** The `accept` attribute of the jobs file picker. */
export const JOB_ACCEPT = [...FORMATS.flatMap((f) => f.ext.map((e) => `.${e}`)), "application/pdf", "image/tiff", "image/png", "image/jpeg", "image/webp", "audio/*"].join(",");

/** The task a file is for, from its name's extension or its MIME type; null when neither names one we take. */
export function inferTask(file: { name: string; type: string }): JobTask | null {
  const ext = file.name.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? "";
  for (const f of FORMATS) if (f.ext.includes(ext)) return f.task;
  for (const f of FORMATS) if (f.mime.test(file.type.toLowerCase())) return f.task;
  return null;
}
