/**
 * The jobs API's schemas (POST/GET/DELETE /api/v1/jobs): the handlers parse with these and the OpenAPI document is
 * generated from them. The task's own options are the synchronous endpoint's, less what only a synchronous call has
 * (`return_probabilities`), plus `dpi` for PDF pages.
 */
import { z } from "zod";
import { num, ocrOptions, selectionOut, vadOptions } from "./inference";
import { messageOut } from "./message";

export const JOB_TASKS = ["ocr", "vad"] as const;
export const JOB_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;

const common = {
  task: z.enum(JOB_TASKS).optional().describe("`ocr` (PDF, TIFF, PNG, JPEG, WebP) or `vad` (WAV, FLAC, MP3, OGG/Opus, M4A). Inferred from the file when omitted."),
  webhook_url: z.string().max(2048).optional().describe("POSTed the job object, signed (Standard Webhooks), when the job ends."),
  metadata: z.string().max(4096, { error: "metadata must be a JSON object of at most 4 KB" }).optional().describe("A JSON object (≤ 4 KB) kept with the job and returned as is."),
};

export const jobOcrFields = ocrOptions.extend({
  ...common,
  dpi: num(z.number().int().min(72).max(400)).optional().describe("Resolution PDF pages are rendered at (default 200)."),
});

export const jobVadFields = vadOptions.omit({ return_probabilities: true }).extend(common);

export const jobTaskField = z.object({ task: z.enum(JOB_TASKS).optional() }).loose();

export const jobListQuery = z.strictObject({
  status: z.enum(JOB_STATUSES).optional(),
  task: z.enum(JOB_TASKS).optional(),
  limit: num(z.number().int().min(1).max(100)).optional(),
  cursor: z.string().max(64).optional().describe("next_cursor of the previous page."),
});

const point = z.tuple([z.number(), z.number()]);

const ocrPage = z.object({
  page: z.number().int().describe("1-based page number."),
  width: z.number().int(),
  height: z.number().int(),
  lines: z.array(z.object({ text: z.string(), confidence: z.number(), box: z.array(point) })),
});

export const jobOutput = z.object({
  id: z.string(),
  object: z.literal("job"),
  task: z.enum(JOB_TASKS),
  model: z.string(),
  model_version: z.string().nullable(),
  status: z.enum(JOB_STATUSES),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  expires_at: z.string().nullable().describe("When the input and result are deleted (PARETO_JOB_RETENTION_DAYS after the end)."),
  progress: z.object({ done: z.number(), total: z.number().nullable(), unit: z.enum(["page", "audio_s"]) }),
  file: z.object({ name: z.string().nullable(), format: z.string(), bytes: z.number().int() }),
  options: z.record(z.string(), z.unknown()),
  metadata: z.record(z.string(), z.unknown()).nullable().describe("The JSON object sent with the job, as sent."),
  webhook_url: z.string().nullable(),
  usage: z.object({ compute_ms: z.number(), units: z.number().describe("Pages (OCR) or audio seconds (VAD) processed.") }),
  selection: selectionOut.nullable(),
  result: z
    .union([
      z.object({ pages: z.array(ocrPage) }),
      z.object({ duration_s: z.number(), segments: z.array(z.object({ start: z.number(), end: z.number() })) }),
    ])
    .nullable()
    .describe("When the job has ended: OCR pages, or VAD segments. A job that failed or was cancelled keeps what it finished."),
  error: z.object({ type: z.string(), code: z.string(), message: z.string(), i18n: messageOut.optional() }).nullable(),
});

export const jobListOutput = z.object({
  object: z.literal("list"),
  data: z.array(jobOutput),
  has_more: z.boolean(),
  next_cursor: z.string().nullable(),
});

export const deliveryOutput = z.object({
  id: z.string(),
  event: z.string(),
  status: z.enum(["pending", "delivered", "failed"]),
  attempts: z.number().int(),
  log: z.array(z.object({ at: z.string(), status: z.number().int().optional(), error: z.string().optional(), duration_ms: z.number() })),
  next_attempt_at: z.string().nullable(),
  delivered_at: z.string().nullable(),
});

export const deliveryListOutput = z.object({ object: z.literal("list"), data: z.array(deliveryOutput) });
