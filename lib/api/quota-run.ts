import "server-only";
import crypto from "node:crypto";
import { env } from "@/lib/config/env";
import type { CatalogEntry } from "@/lib/models/catalog";
import { quotaSubjects } from "@/lib/metering/limits";
import { reserve, settle } from "@/lib/metering/quota";
import { getRuntime, type RunResult } from "@/lib/runtime";
import { ApiError } from "./errors";
import { toApiError } from "./map-error";
import type { MeteredContext } from "./route";
import { requireModelScope } from "./principal";

const g = globalThis as unknown as { __paretoInstance?: string };
/** Identifies this process's quota reservations, so another instance can tell whose are stale. */
export function instanceId(): string {
  g.__paretoInstance ??= crypto.randomUUID();
  return g.__paretoInstance;
}

/** What to reserve before running: 1.5× the model's measured mean (or a cautious default before any run). */
export function estimateComputeMs(entry: CatalogEntry): number {
  const mean = getRuntime().metrics.meanComputeMs(entry.id);
  if (mean > 0) return Math.ceil(mean * 1.5);
  return entry.task === "ocr" ? 1_000 : 300;
}

/**
 * Scope check → reserve quota → `run` → settle the measured compute (or release on failure), for every way of
 * running a model: the pipelines (`runMetered`) and the KServe raw-tensor path (`Runtime.infer`) are billed
 * alike. A reservation outlives the request deadline by 10 s at most; after that the sweeper may release it.
 */
export async function withQuota<T, P>(ctx: MeteredContext<P>, entry: CatalogEntry, run: () => Promise<RunResult<T>>, field: string): Promise<RunResult<T>> {
  requireModelScope(ctx.principal, { modelId: entry.id, task: entry.task });
  ctx.usage.modelId = entry.id;
  const estimate = estimateComputeMs(entry);
  const r = await reserve(quotaSubjects(ctx.principal), estimate, ctx.requestId, instanceId(), env.requestTimeoutMs() + 10_000);
  if (!r.ok) {
    const what = r.limit === "monthly_requests" ? `${r.max} requests` : `${r.max} ms of compute`;
    const whose = r.subject.startsWith("key:") ? "this API key" : "your plan";
    throw new ApiError("quota_exceeded", `Monthly quota exhausted: ${whose} allows ${what} per month (limit ${r.limit}). It resets at ${r.resetAt.toISOString()}.`, {
      headers: { "x-quota-limit": r.limit, "x-quota-reset": r.resetAt.toISOString() },
    });
  }
  let result: RunResult<T>;
  try {
    result = await run();
  } catch (e) {
    await settle(r.reservation, null);
    throw toApiError(e, field);
  }
  const computeMs = Math.round(result.stats.computeMs * 100) / 100;
  await settle(r.reservation, computeMs);
  ctx.usage.computeMs = computeMs;
  ctx.headers["x-compute-ms"] = String(computeMs);
  ctx.headers["x-quota-remaining-compute-ms"] = String(Math.max(0, Math.floor(r.remainingComputeMs + estimate - computeMs)));
  ctx.headers["x-quota-remaining-requests"] = String(r.remainingRequests);
  return result;
}
