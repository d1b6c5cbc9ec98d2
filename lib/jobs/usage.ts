import "server-only";
import type { JobRow } from "@/lib/db/jobs";
import { usageWriter } from "@/lib/metering/usage";

/** The HTTP status a job's end stands for in usage reports, next to synchronous calls. */
function statusOf(row: JobRow): number {
  if (row.status === "succeeded") return 200;
  if (row.status === "cancelled") return 499;
  if (row.errorCode === "quota_exceeded") return 402;
  return row.errorType === "invalid_request_error" ? 422 : 500;
}

/**
 * One usage event per job, written by whichever runner finished it (the finish is fenced, so once): its units
 * (pages or audio seconds), its compute, from submission to end. The submission's own request has its event too.
 */
export function recordJobUsage(row: JobRow): void {
  usageWriter().record({
    requestId: row.id,
    userId: row.userId,
    apiKeyId: row.apiKeyId,
    modelId: row.modelId,
    modelVersion: row.modelVersion,
    source: row.source === "playground" ? "playground" : "api",
    route: "/api/v1/jobs/{id}",
    method: "JOB",
    status: statusOf(row),
    errorCode: row.errorCode,
    latencyMs: Math.round(((row.finishedAt ?? new Date()).getTime() - row.createdAt.getTime()) * 100) / 100,
    computeMs: Math.round(row.computeMs * 100) / 100,
    units: row.unit === "audio_s" ? Math.round(row.done * 1000) / 1000 : row.done,
    unitKind: row.unit === "page" ? "page" : "audio_s",
    bytesIn: row.fileBytes,
    bytesOut: 0,
    createdAt: new Date(),
  });
}
