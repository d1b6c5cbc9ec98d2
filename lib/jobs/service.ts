import "server-only";
import { env } from "@/lib/config/env";
import { countUnfinishedJobsOf, findJob, insertJob, listJobsOf, requestCancel, finishJob, type JobRow, type JobStatus } from "@/lib/db/jobs";
import type { QuotaLimit } from "@/lib/metering/quota";
import type { CatalogEntry } from "@/lib/models/catalog";
import { ServiceError } from "@/lib/models/errors";
import { retentionEnd } from "./retention-policy";
import { removeInput, shareInput, type StoredInput } from "./input-store";
import { taskOfFormat, type InputFormat } from "./formats";
import { announceEnd } from "./announce";
import { wakeRunner } from "./wake";

/** Jobs one account may have queued or running at once: a queue is shared, and one account must not fill it. */
export const MAX_UNFINISHED_JOBS = 50;

export interface Submission {
  id: string;
  userId: string;
  apiKeyId: string | null;
  source: "api" | "playground";
  task: "ocr" | "vad";
  entry: CatalogEntry;
  requestedModel: string;
  selection: object | null;
  options: Record<string, unknown>;
  quota: QuotaLimit[];
  format: InputFormat;
  fileName: string | null;
  webhookUrl: string | null;
  metadata: object | null;
}

/**
 * Queues a job whose input is stored (input-store.ts). On PostgreSQL the input is copied to the database first, so
 * whichever instance claims the job can read it; the row is written last, so a failure before leaves no job.
 */
export async function createJob(s: Submission, stored: StoredInput): Promise<JobRow> {
  if (taskOfFormat(s.format) !== s.task) throw new ServiceError("wrong_task", `A ${s.format.toUpperCase()} file is read by task "${taskOfFormat(s.format)}", not "${s.task}".`, { param: "task" });
  if ((await countUnfinishedJobsOf(s.userId)) >= MAX_UNFINISHED_JOBS) {
    throw new ServiceError("too_many_jobs", `This account has ${MAX_UNFINISHED_JOBS} jobs queued or running; wait for some to finish or cancel them.`, { retryAfterS: 30 });
  }
  try {
    await shareInput(s.id);
    const row = await insertJob({
      id: s.id,
      userId: s.userId,
      apiKeyId: s.apiKeyId,
      source: s.source,
      task: s.task,
      entryId: s.entry.id,
      modelId: s.entry.modelId,
      modelVersion: s.entry.builtIn ? null : s.entry.version,
      requestedModel: s.requestedModel,
      selection: s.selection,
      options: s.options,
      quota: s.quota,
      unit: s.task === "ocr" ? "page" : "audio_s",
      fileName: s.fileName,
      format: s.format,
      fileBytes: stored.bytes,
      inputSha256: stored.sha256,
      webhookUrl: s.webhookUrl,
      metadata: s.metadata,
    });
    wakeRunner();
    return row;
  } catch (e) {
    await removeInput(s.id).catch(() => undefined);
    throw e;
  }
}

/** A job of this user; another user's job is "not found", never "forbidden" (ids must not be probed). */
export async function jobOf(userId: string, id: string): Promise<JobRow> {
  const row = await findJob(id);
  if (!row || row.userId !== userId) throw new ServiceError("not_found", `No job ${id}.`, { param: "id" });
  return row;
}

export async function listJobs(userId: string, q: { status?: JobStatus; task?: "ocr" | "vad"; limit: number; cursor?: string }): Promise<{ rows: JobRow[]; hasMore: boolean }> {
  let before: { createdAt: Date; id: string } | undefined;
  if (q.cursor) {
    const c = await findJob(q.cursor);
    if (!c || c.userId !== userId) throw new ServiceError("validation_error", "cursor is not a job of this account (use next_cursor from the previous page).", { param: "cursor" });
    before = { createdAt: c.createdAt, id: c.id };
  }
  const rows = await listJobsOf({ userId, status: q.status, task: q.task, before, limit: q.limit + 1 });
  return { rows: rows.slice(0, q.limit), hasMore: rows.length > q.limit };
}

/**
 * Cancels a job. Queued: finished `cancelled` at once. Running: its runner stops at the next page or chunk (it sees
 * the request at its next heartbeat, within a second or two) and the work done so far stays billed and kept.
 * Finished: returned as it is.
 */
export async function cancelJob(userId: string, id: string): Promise<JobRow> {
  const row = await jobOf(userId, id);
  if (row.status !== "queued" && row.status !== "running") return row;
  await requestCancel(id);
  const ended = await finishJob(id, null, { status: "cancelled", result: null, error: null, expiresAt: retentionEnd() });
  const now = (await findJob(id)) ?? row;
  // A queued job ends here: announced (usage event, webhook) like one its runner ends.
  if (ended) await announceEnd(now);
  wakeRunner();
  return now;
}

export function jobRetentionDays(): number {
  return env.jobRetentionDays();
}
