/**
 * The jobs API's objects as the portal reads them (`GET /api/v1/jobs[/{id}]`, `…/deliveries`), per the shared
 * contract of issue 15, and the small rules the pages share: which statuses are live, which file goes to which task.
 */
import type { z } from "zod";
import type { deliveryOutput, jobListOutput, jobOutput } from "@/lib/api/schemas/jobs";

export type Job = z.output<typeof jobOutput>;
export type JobList = z.output<typeof jobListOutput>;
export type Delivery = z.output<typeof deliveryOutput>;
export type JobTask = Job["task"];
export type JobStatus = Job["status"];
export const JOB_STATUSES: JobStatus[] = ["queued", "running", "succeeded", "failed", "cancelled"];

type Result = NonNullable<Job["result"]>;
export type OcrJobResult = Extract<Result, { pages: unknown }>;
export type VadJobResult = Extract<Result, { segments: unknown }>;
export type OcrPage = OcrJobResult["pages"][number];

export const isLive = (s: JobStatus | undefined) => s === "queued" || s === "running";

/** The share of the work done (0–1), or null while the total is not known yet (the input has not been opened). */
export function jobFraction(j: Pick<Job, "status" | "progress">): number | null {
  if (j.status === "succeeded") return 1;
  const { done, total } = j.progress;
  if (total === null || total === undefined || !(total > 0)) return null;
  return Math.max(0, Math.min(1, done / total));
}

export const isOcrResult = (r: Job["result"] | undefined): r is OcrJobResult => !!r && "pages" in r;
export const isVadResult = (r: Job["result"] | undefined): r is VadJobResult => !!r && "segments" in r;

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
