import { CONTENT_TYPES } from "@/lib/jobs/formats";
import { deliveryListOutput, jobListOutput, jobListQuery, jobOcrFields, jobOutput, jobVadFields } from "../schemas/jobs";
import { inputOf, outputOf, ref } from "./components";
import { operation, pathParam, queryParams } from "./operation";
import type { JsonSchema, PathItem, RequestBody } from "./types";

export const JOBS_SCHEMAS: Record<string, JsonSchema> = {
  Job: outputOf(jobOutput),
  JobList: outputOf(jobListOutput),
  WebhookDeliveryList: outputOf(deliveryListOutput),
};

export const JOBS_TAG_DESCRIPTION =
  "Long work as jobs: multi-page documents (OCR) and long recordings (VAD), read page by page or minute by minute in the background with progress, kept results and signed webhooks (Standard Webhooks).";

const tag = "Jobs";

const FILE: JsonSchema = {
  type: "string",
  contentMediaType: "application/octet-stream",
  description: "OCR: PDF (pages rendered at `dpi`, at most PARETO_MAX_PDF_PAGES), TIFF (every page), PNG, JPEG or WebP. VAD: WAV, FLAC, MP3, OGG/Opus or M4A of any length. At most PARETO_MAX_JOB_MB. The format is read from the bytes.",
};

function jobBody(): RequestBody {
  const ocr = inputOf(jobOcrFields);
  const vad = inputOf(jobVadFields);
  const props = { ...((vad.properties ?? {}) as Record<string, JsonSchema>), ...((ocr.properties ?? {}) as Record<string, JsonSchema>), file: FILE };
  return {
    required: true,
    description: "multipart/form-data: the document or recording as the file part `file`; `task`, `model` and the task's options (those of POST /api/v1/ocr or /api/v1/vad) as text parts.",
    content: { "multipart/form-data": { schema: { type: "object", properties: props, required: ["file"] } } },
  };
}

const idParam = pathParam("id", "Job id (job_…).");

/** Jobs: submit, list, follow, cancel, and the webhook delivery log. */
export const JOBS_PATHS: Record<string, PathItem> = {
  "/api/v1/jobs": {
    post: operation("post", {
      id: "createJob",
      tag,
      summary: "Submit a document or a recording as a job",
      description:
        "The file is stored (413 past PARETO_MAX_JOB_MB, 415 when it is no format jobs read) and the model chosen (an id, an alias, or `auto` with its constraints), then 202 with the job, `queued`. " +
        "The job runs in the background at a lower priority than interactive requests, one page or 60-second chunk at a time; each page or chunk reserves its quota as it runs (and counts as one request), so a quota that runs out ends the job `failed` with `quota_exceeded`, keeping what it read. " +
        "The submission itself counts as one request (402 when the monthly requests are used up). `webhook_url` must be http(s) and — unless the server allows it — resolve to a public address (422 invalid_webhook_url).",
      auth: "keyOrSession",
      permission: "inference",
      body: jobBody(),
      ok: { status: 202, description: "The job, queued; follow it with GET /api/v1/jobs/{id} or a webhook.", schema: ref("Job") },
      errors: [400, 402, 404, 413, 415, 422, 503],
      metered: "rate",
    }),
    get: operation("get", {
      id: "listJobs",
      tag,
      summary: "Your jobs, newest first",
      auth: "keyOrSession",
      permission: "inference",
      parameters: queryParams(jobListQuery),
      ok: { status: 200, description: "A page of jobs; pass `next_cursor` as `cursor` for the next.", schema: ref("JobList") },
      errors: [422],
      metered: "rate",
    }),
  },
  "/api/v1/jobs/{id}": {
    get: operation("get", {
      id: "getJob",
      tag,
      summary: "A job: status, progress and, once it has ended, its result or error",
      auth: "keyOrSession",
      permission: "inference",
      parameters: [idParam],
      ok: { status: 200, description: "The job.", schema: ref("Job") },
      errors: [404],
      metered: "rate",
    }),
    delete: operation("delete", {
      id: "cancelJob",
      tag,
      summary: "Cancel a job",
      description: "A queued job ends `cancelled` at once; a running one stops at its next page or chunk (within a few seconds) and is billed for what ran, keeping those results. A job that has ended is returned as it is.",
      auth: "keyOrSession",
      permission: "inference",
      parameters: [idParam],
      ok: { status: 200, description: "The job as it is now.", schema: ref("Job") },
      errors: [404],
      metered: "rate",
    }),
  },
  "/api/v1/jobs/{id}/deliveries": {
    get: operation("get", {
      id: "listJobDeliveries",
      tag,
      summary: "The job's webhook deliveries and every attempt",
      auth: "keyOrSession",
      permission: "inference",
      parameters: [idParam],
      ok: { status: 200, description: "Deliveries, oldest first, each with its attempt log.", schema: ref("WebhookDeliveryList") },
      errors: [404],
      metered: "rate",
    }),
  },
  "/api/v1/jobs/{id}/input": {
    get: operation("get", {
      id: "getJobInput",
      tag,
      summary: "The job's file, as it was uploaded (kept until the job expires)",
      auth: "keyOrSession",
      permission: "inference",
      parameters: [idParam],
      ok: { status: 200, description: "The file, with the media type of its format.", schema: { type: "string", contentMediaType: "application/octet-stream" }, contentType: [...new Set(Object.values(CONTENT_TYPES))] },
      errors: [404],
      metered: "rate",
    }),
  },
};
