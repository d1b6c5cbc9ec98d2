import "server-only";
import type { JobRow } from "@/lib/db/jobs";

/**
 * Tells the job's webhook (if it has one) that the job ended: lib/webhooks signs and delivers it, retrying for 24 h.
 */
export async function announceJob(row: JobRow): Promise<void> {
  if (!row.webhookUrl) return;
  // Wired to lib/webhooks in the next commit (the delivery queue lands with it).
  await Promise.resolve();
}
