import "server-only";
import crypto from "node:crypto";
import { env } from "@/lib/config/env";
import { findModelRow, listModelRows } from "@/lib/db/models";
import { catalogEntry, TASK_ALIASES, taskDefault, type CatalogEntry, type Task } from "@/lib/models/catalog";
import { quotaSubjects } from "@/lib/metering/limits";
import { reserve, settle } from "@/lib/metering/quota";
import { getRuntime, type RunResult } from "@/lib/runtime";
import { ApiError } from "./errors";
import { toApiError } from "./map-error";
import type { MeteredContext } from "./metered";
import { requireModelScope } from "./principal";

const g = globalThis as unknown as { __paretoInstance?: string };
/** Identifies this process's quota reservations, so another instance can tell whose are stale. */
export function instanceId(): string {
  g.__paretoInstance ??= crypto.randomUUID();
  return g.__paretoInstance;
}

/** The task's default: the enabled model an admin (or the regression gate) marked default, else the catalog's. */
export async function defaultModel(task: Task): Promise<CatalogEntry> {
  const rows = await listModelRows();
  const chosen = rows.find((r) => r.task === task && r.isDefault && r.enabled) ?? rows.find((r) => r.task === task && r.enabled);
  return (chosen && catalogEntry(chosen.id)) || taskDefault(task);
}

/** Resolves `model` (an id, a task alias, or nothing) to a catalog entry of the route's task. */
export async function resolveModel(requested: string | undefined, task: Task): Promise<CatalogEntry> {
  if (!requested || TASK_ALIASES[requested] === task) return defaultModel(task);
  if (TASK_ALIASES[requested]) throw new ApiError("wrong_task", `${requested} is not a ${task} alias.`, { param: "model" });
  const entry = catalogEntry(requested);
  if (!entry) throw new ApiError("model_not_found", `No model "${requested}". GET /api/v1/models lists them.`, { param: "model" });
  if (entry.task !== task) throw new ApiError("wrong_task", `${entry.id} is a ${entry.task} model; this endpoint runs ${task} models.`, { param: "model" });
  const row = await findModelRow(entry.id);
  if (row && !row.enabled) throw new ApiError("model_disabled", `Model ${entry.id} is disabled by an administrator.`, { param: "model" });
  return entry;
}

/** What to reserve before running: 1.5× the model's measured mean (or a cautious default before any run). */
function estimateComputeMs(entry: CatalogEntry): number {
  const mean = getRuntime().metrics.meanComputeMs(entry.id);
  if (mean > 0) return Math.ceil(mean * 1.5);
  return entry.task === "ocr" ? 1_000 : 300;
}

/** Reserve quota → run in the runtime → settle the measured compute (or release on failure). */
export async function runMetered<T, P>(ctx: MeteredContext<P>, entry: CatalogEntry, input: Buffer, options: Record<string, unknown>, field: "image" | "audio"): Promise<RunResult<T>> {
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
    result = await getRuntime().run<T>(entry.id, input, options, { signal: ctx.req.signal });
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
