/**
 * Submits a job the way the jobs page and the playground's "Run as a job" both do: one multipart POST to
 * /api/v1/jobs with the file, the task, the model and the task's options as fields (the session authenticates it),
 * sent with upload progress (app/playground/_components/send.ts).
 */
import { isError, send } from "@/app/playground/_components/send";
import type { Job, JobTask } from "./job";

export interface JobRequest {
  task: JobTask;
  file: Blob;
  name: string;
  model?: string;
  options?: Record<string, string | number | boolean>;
  webhookUrl?: string;
  metadata?: string;
}

export type SubmitOutcome = { ok: true; job: Job } | { ok: false; status: number; code: string; message: string };

export async function submitJob(req: JobRequest, onProgress: (fraction: number) => void = () => undefined): Promise<SubmitOutcome> {
  const form = new FormData();
  form.set("task", req.task);
  if (req.model) form.set("model", req.model);
  // auto's constraints only mean something to auto (as in the playground's synchronous calls).
  for (const [k, v] of Object.entries(req.options ?? {})) if (req.model === "auto" || !["objective", "max_latency_ms"].includes(k)) form.set(k, String(v));
  if (req.webhookUrl) form.set("webhook_url", req.webhookUrl);
  if (req.metadata) form.set("metadata", req.metadata);
  // The file last: a streaming parser has every field in hand before the bytes start.
  form.set("file", req.file, req.name);
  try {
    const r = await send<Job>("/api/v1/jobs", form, onProgress);
    // A job has an `error` field of its own (null until it fails): success is the status, not the body's shape.
    if (r.ok) return { ok: true, job: r.body as Job };
    const err = isError(r.body) && r.body.error ? r.body.error : { code: "http_error", message: `HTTP ${r.status}` };
    return { ok: false, status: r.status, code: err.code, message: err.message };
  } catch (e) {
    return { ok: false, status: 0, code: "network_error", message: e instanceof Error ? e.message : String(e) };
  }
}
