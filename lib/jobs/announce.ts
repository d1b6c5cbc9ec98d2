import "server-only";
import { claimAnnouncement, findJob, unannouncedJobs, type JobRow } from "@/lib/db/jobs";
import { log } from "@/lib/log";
import { enqueueWebhook, type WebhookEvent } from "@/lib/webhooks";
import { recordJobUsage } from "./usage";
import { jobObject } from "./view";

/**
 * Tells the job's webhook (if it has one) that the job ended: the job object is queued for delivery, signed and
 * retried for 24 h by lib/webhooks. A delivery that cannot be queued is logged; the job has ended regardless.
 */
export async function announceJob(row: JobRow): Promise<void> {
  if (!row.webhookUrl) return;
  const event = `job.${row.status}` as WebhookEvent;
  const payload: Partial<ReturnType<typeof jobObject>> = jobObject(row);
  delete payload.error_i18n; // the portal's; a receiver reads `error`
  try {
    await enqueueWebhook({ jobId: row.id, userId: row.userId, url: row.webhookUrl, event, payload });
  } catch (e) {
    log("warn", "job webhook not queued", { job: row.id, error: e instanceof Error ? e.message : String(e) });
  }
}

/**
 * A job's end, announced once: its usage event and its webhook. Claimed by one conditional write, so the runner
 * that finished it and the sweep below never both announce; a runner that died between its finish and this leaves
 * the job to the sweep.
 */
export async function announceEnd(row: JobRow): Promise<void> {
  if (!(await claimAnnouncement(row.id))) return;
  recordJobUsage(row);
  await announceJob(row);
}

/** Announces ended jobs nobody announced (their runner died right after finishing them) a minute on. */
export async function sweepUnannounced(now = Date.now()): Promise<number> {
  let n = 0;
  for (const { id } of await unannouncedJobs(new Date(now - 60_000), 100)) {
    const row = await findJob(id);
    if (row) {
      await announceEnd(row);
      n++;
    }
  }
  return n;
}
