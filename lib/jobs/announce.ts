import "server-only";
import type { JobRow } from "@/lib/db/jobs";
import { log } from "@/lib/log";
import { enqueueWebhook, type WebhookEvent } from "@/lib/webhooks";
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
