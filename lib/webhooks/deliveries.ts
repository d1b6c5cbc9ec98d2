import "server-only";
import { insertDelivery, listDeliveryRows, type AttemptLog, type DeliveryRow, type DeliveryStatus } from "@/lib/db/webhooks";
import { newDeliveryId } from "./sign";
import { wakeDispatchers } from "./wake";

export type WebhookEvent = "job.succeeded" | "job.failed" | "job.cancelled";

/** A delivery as the API shows it (`GET /api/v1/jobs/{id}/deliveries`). */
export interface DeliveryView {
  id: string;
  event: string;
  status: DeliveryStatus;
  attempts: number;
  log: { at: string; status?: number; error?: string; duration_ms: number }[];
  next_attempt_at: string | null;
  delivered_at: string | null;
}

/**
 * Queues one delivery of `event` for a job; `payload` is the job object, sent as `data` in the Standard Webhooks
 * envelope `{type, timestamp, data}`. The envelope is fixed here, so every retry sends the same body (only the
 * `webhook-timestamp` and signature change). The URL was checked at submission and is checked again per attempt.
 */
export async function enqueueWebhook(a: { jobId: string; userId: string; url: string; event: WebhookEvent; payload: object }): Promise<void> {
  const at = new Date();
  const envelope = { type: a.event, timestamp: at.toISOString(), data: a.payload };
  await insertDelivery({ id: newDeliveryId(), jobId: a.jobId, userId: a.userId, url: a.url, event: a.event, payload: JSON.parse(JSON.stringify(envelope)) as object, at });
  wakeDispatchers();
}

export function attemptLogOf(row: Pick<DeliveryRow, "log">): AttemptLog[] {
  return Array.isArray(row.log) ? (row.log as unknown as AttemptLog[]) : [];
}

export function deliveryView(row: DeliveryRow): DeliveryView {
  return {
    id: row.id,
    event: row.event,
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    log: attemptLogOf(row).map((l) => ({ at: l.at, ...(l.status !== undefined ? { status: l.status } : {}), ...(l.error !== undefined ? { error: l.error } : {}), duration_ms: l.durationMs })),
    next_attempt_at: row.status === "pending" ? (row.nextAttemptAt?.toISOString() ?? null) : null,
    delivered_at: row.deliveredAt?.toISOString() ?? null,
  };
}

/** A job's deliveries, oldest first (the caller has already checked that the job is theirs). */
export async function listDeliveries(jobId: string): Promise<DeliveryView[]> {
  return (await listDeliveryRows(jobId)).map(deliveryView);
}
