import "server-only";
/**
 * The jobs API: a document or a recording in, a job out (202), read page by page or chunk by chunk in the background
 * (lib/jobs). Each handler is a few lines; the upload is streamed to disk, never held in memory.
 */
import fs from "node:fs";
import { Readable } from "node:stream";
import { CONTENT_TYPES, sniffFormat, taskOfFormat } from "@/lib/jobs/formats";
import { ensureLocalInput, removeInput, storeInput, type StoredInput } from "@/lib/jobs/input-store";
import { newJobId } from "@/lib/jobs/ids";
import { cancelJob, createJob, jobOf, listJobs } from "@/lib/jobs/service";
import { quotaSubjects } from "@/lib/metering/limits";
import { chooseModel } from "@/lib/selection/auto";
import { checkWebhookUrl, listDeliveries } from "@/lib/webhooks";
import { ApiError } from "./errors";
import { readUploadForm } from "./model-upload";
import { requireModelScope } from "./principal";
import { presentJob, presentJobList } from "./presenters/jobs";
import type { MeteredContext } from "./route";
import { deliveryListOutput, jobListQuery, jobOcrFields, jobTaskField, jobVadFields } from "./schemas/jobs";
import { parseWith } from "./validation";
import { checkJobQuota } from "./job-quota";

const FIELD = "file";

/** Fields that are not the task's options: the model choice (and auto's constraints), the job's own settings. */
const NOT_OPTIONS = new Set(["model", "task", "webhook_url", "metadata", "max_latency_ms", "min_accuracy", "max_memory_mb", "objective"]);

async function readJobForm(req: Request, id: string): Promise<{ fields: Record<string, string>; stored: StoredInput; filename: string | null }> {
  if (!/^multipart\/form-data/i.test(req.headers.get("content-type") ?? "")) {
    throw new ApiError("unsupported_media_type", `Send the job as multipart/form-data: the document or recording as the file part "${FIELD}" and the options as text parts.`, { param: "content-type" });
  }
  const form = await readUploadForm<StoredInput>(req, {
    fileFields: [FIELD],
    maxBodyBytes: Number.MAX_SAFE_INTEGER, // the file part is capped as it is stored (PARETO_MAX_JOB_MB)
    store: (_field: string, stream: Readable) => storeInput(id, stream),
    discard: () => removeInput(id),
  });
  const file = form.files.find((f) => f.field === FIELD);
  if (!file) throw new ApiError("validation_error", `Attach the document (PDF, TIFF, PNG, JPEG, WebP) or recording (WAV, FLAC, MP3, OGG/Opus, M4A) as the multipart file "${FIELD}".`, { param: FIELD });
  return { fields: form.fields, stored: file.stored, filename: file.filename === FIELD ? null : file.filename.slice(0, 255) };
}

function parseMetadata(text: string | undefined): object | null {
  if (text === undefined) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new ApiError("validation_error", "metadata must be a JSON object (it is not valid JSON).", { param: "metadata" });
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new ApiError("validation_error", "metadata must be a JSON object.", { param: "metadata" });
  return v;
}

/** POST /api/v1/jobs */
export async function submitJobRequest<P>(ctx: MeteredContext<P>) {
  const id = newJobId();
  const { fields, stored, filename } = await readJobForm(ctx.req, id);
  try {
    const format = sniffFormat(stored.head);
    if (!format) throw new ApiError("unsupported_media_type", "The file is not a format jobs read: PDF, TIFF, PNG, JPEG or WebP for OCR; WAV, FLAC, MP3, OGG/Opus or M4A for VAD.", { param: FIELD });
    const task = parseWith(jobTaskField, fields).task ?? taskOfFormat(format);
    if (taskOfFormat(format) !== task) throw new ApiError("wrong_task", `A ${format.toUpperCase()} file is read by task "${taskOfFormat(format)}", not "${task}".`, { param: "task" });
    const o = task === "ocr" ? parseWith(jobOcrFields, fields) : parseWith(jobVadFields, fields);
    const { entry, selection } = await chooseModel(o, task, ctx);
    requireModelScope(ctx.principal, { modelId: entry.modelId, task });
    const metadata = parseMetadata(o.metadata);
    if (o.webhook_url !== undefined) await checkWebhookUrl(o.webhook_url);
    // The submission is a request like any other: counted against the monthly requests (402 when they are used up).
    await checkJobQuota(ctx, entry);
    const options = Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== undefined && !NOT_OPTIONS.has(k)));
    const row = await createJob(
      {
        id,
        userId: ctx.principal.userId,
        apiKeyId: ctx.principal.key?.id ?? null,
        source: ctx.principal.via === "session" ? "playground" : "api",
        task,
        entry,
        requestedModel: o.model ?? `${task}-default`,
        selection: selection ?? null,
        options,
        quota: quotaSubjects(ctx.principal),
        format,
        fileName: filename,
        webhookUrl: o.webhook_url ?? null,
        metadata,
      },
      stored,
    );
    ctx.usage.modelId = entry.modelId;
    return { status: 202, body: presentJob(row), headers: { location: `/api/v1/jobs/${row.id}` } };
  } catch (e) {
    await removeInput(id).catch(() => undefined);
    throw e;
  }
}

/** GET /api/v1/jobs */
export async function listJobsRequest<P>(ctx: MeteredContext<P>) {
  const q = parseWith(jobListQuery, Object.fromEntries(new URL(ctx.req.url).searchParams));
  const { rows, hasMore } = await listJobs(ctx.principal.userId, { status: q.status, task: q.task, limit: q.limit ?? 20, cursor: q.cursor });
  return { body: presentJobList(rows, hasMore) };
}

/** GET /api/v1/jobs/{id} */
export async function getJobRequest(ctx: MeteredContext<{ id: string }>) {
  return { body: presentJob(await jobOf(ctx.principal.userId, ctx.params.id)) };
}

/** DELETE /api/v1/jobs/{id} */
export async function cancelJobRequest(ctx: MeteredContext<{ id: string }>) {
  return { body: presentJob(await cancelJob(ctx.principal.userId, ctx.params.id)) };
}

/** GET /api/v1/jobs/{id}/deliveries: the webhook's delivery log. */
export async function jobDeliveriesRequest(ctx: MeteredContext<{ id: string }>) {
  const row = await jobOf(ctx.principal.userId, ctx.params.id);
  return { body: deliveryListOutput.parse({ object: "list", data: await listDeliveries(row.id) }) };
}

/** GET /api/v1/jobs/{id}/input: the uploaded file as it was sent (the portal draws pages and waveforms from it). */
export async function jobInputRequest(ctx: MeteredContext<{ id: string }>) {
  const row = await jobOf(ctx.principal.userId, ctx.params.id);
  if (row.expiresAt && row.expiresAt.getTime() < Date.now()) throw new ApiError("not_found", `Job ${row.id}'s input is no longer kept (retention ended).`, { param: "id" });
  const file = await ensureLocalInput(row.id, row.inputSha256);
  const st = await fs.promises.stat(file);
  const format = row.format as keyof typeof CONTENT_TYPES;
  const body = Readable.toWeb(fs.createReadStream(file)) as ReadableStream<Uint8Array>;
  return new Response(body, {
    headers: { "content-type": CONTENT_TYPES[format] ?? "application/octet-stream", "content-length": String(st.size), "cache-control": "private, max-age=3600", "x-content-type-options": "nosniff" },
  });
}
