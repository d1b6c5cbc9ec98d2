import "server-only";
import { env } from "@/lib/config/env";
import type { CatalogEntry } from "@/lib/models/catalog";
import type { InputSize } from "@/lib/models/input-size";
import type { Tensor } from "@/lib/models/tensor";
import { estimateComputeMs, observeCost, probeTurn, type InputUnits } from "@/lib/metering/cost-model";
import { instanceId } from "@/lib/metering/instance";
import { quotaSubjects } from "@/lib/metering/limits";
import { reserve, settle, type Refusal } from "@/lib/metering/quota";
import { measureRequest, spentComputeMs, type RunResult } from "@/lib/runtime";
import { ApiError } from "./errors";
import { toApiError } from "./map-error";
import type { MeteredContext } from "./route";
import { requireModelScope } from "./principal";

export { instanceId };

/** What a request's size is, for its quota reservation: `key` names the way it runs (a KServe weight, say). */
export type QuotaSize = InputUnits & { key?: string };

/**
 * A pipeline input's size from its header alone (pixels or audio seconds), measured once per request: the quota
 * reserves by its units, the decode budget by `input`. Bad input fails here as it would later.
 */
export async function pipelineSize(entry: CatalogEntry, bytes: Buffer, options: Record<string, unknown>, field: string): Promise<QuotaSize & { input: InputSize }> {
  try {
    const input = await measureRequest(entry, bytes, options);
    return input.kind === "image" ? { kind: "pixels", units: input.pixels, input } : { kind: "audio_s", units: input.seconds, input };
  } catch (e) {
    throw toApiError(e, field);
  }
}

/** Raw tensors' size (the KServe path): their element count. */
export function tensorSize(key: string, feeds: Record<string, Tensor>): QuotaSize {
  let units = 0;
  for (const t of Object.values(feeds)) units += t.data.length;
  return { kind: "elements", units, key };
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** The answer to a refused reservation: 402 when the quota is used up, 429 with Retry-After when in-flight work holds it. */
export function refusalError(r: Refusal): ApiError {
  const whose = r.subject.startsWith("key:") ? "this API key" : "your plan";
  const unit = r.limit === "monthly_requests" ? "requests" : "ms of compute";
  const fmt = (v: number) => (r.limit === "monthly_requests" ? String(v) : String(Math.ceil(v)));
  const headers = { "x-quota-limit": r.limit, "x-quota-reset": r.resetAt.toISOString() };
  if (r.held) {
    return new ApiError(
      "quota_held",
      `The monthly quota is not used up but held by requests in flight: ${whose} allows ${fmt(r.max)} ${unit} per month (limit ${r.limit}), ` +
        `${fmt(r.used)} used, ${fmt(r.reserved)} reserved by requests still running` +
        (r.leased > 0 ? ` and ${fmt(r.leased)} held by instances' quota leases (use not yet written back, or about to be returned)` : "") +
        `; this one needs ${fmt(r.needed)}. Retry in ${r.retryAfterS} s.`,
      { headers: { ...headers, "retry-after": String(r.retryAfterS) } },
    );
  }
  const resets = `It resets at ${r.resetAt.toISOString()}.`;
  if (r.limit === "monthly_compute_ms" && r.used < r.max) {
    return new ApiError(
      "quota_exceeded",
      `Not enough monthly compute left: this request needs an estimated ${fmt(r.needed)} ms and ${whose} has ${fmt(r.max - r.used)} of ${fmt(r.max)} ms left (limit ${r.limit}). ${resets}`,
      { headers },
    );
  }
  return new ApiError("quota_exceeded", `Monthly quota exhausted: ${whose} allows ${fmt(r.max)} ${unit} per month (limit ${r.limit}), ${fmt(r.used)} used. ${resets}`, { headers });
}

/**
 * Scope check → reserve quota in proportion to the input → `run` → settle what was actually spent, for every way of
 * running a model: the pipelines (`runMetered`) and the KServe raw-tensor path (`Runtime.infer`) are billed alike.
 *
 * The reservation is this instance's cautious estimate for an input of `size` (lib/metering/cost-model.ts), taken
 * from this instance's quota lease or, near the limit, reserved in the database, so what cannot fit is refused up
 * front; the settle bills the measured compute, uncapped. Spending can pass the
 * quota only by what requests in flight spend beyond their estimates. A run stopped after it started (client gone,
 * deadline) is billed what it had spent; one that failed is released. The reservation is owned by this instance's
 * lease; its expiry is only a backstop. Until this instance has measured a model, its requests go one at a time.
 */
export async function withQuota<T, P, S extends QuotaSize>(ctx: MeteredContext<P>, entry: CatalogEntry, run: (size: S) => Promise<RunResult<T>>, field: string, sizeOf: S | (() => Promise<S>)): Promise<RunResult<T>> {
  requireModelScope(ctx.principal, { modelId: entry.modelId, task: entry.task });
  ctx.usage.modelId = entry.modelId;
  // Every answer names the version that ran (built-ins have one): a canary is told apart by clients and in usage.
  ctx.usage.modelVersion = entry.builtIn ? null : entry.version;
  ctx.headers["x-pareto-model-version"] = entry.version;
  // Measured after the scope check and with the model named, so a bad input is refused — and counted — against it.
  const size = typeof sizeOf === "function" ? await sizeOf() : sizeOf;
  const costKey = `${entry.id}|${size.key ?? "pipeline"}`;
  const probed = await probeTurn(costKey, size.kind);
  try {
    return await reserveAndRun(ctx, costKey, run, field, size);
  } finally {
    probed?.();
  }
}

async function reserveAndRun<T, P, S extends QuotaSize>(ctx: MeteredContext<P>, costKey: string, run: (size: S) => Promise<RunResult<T>>, field: string, size: S): Promise<RunResult<T>> {
  if (ctx.req.signal.aborted) throw new ApiError("client_closed_request", "The client closed the connection before the work started.");
  const estimate = estimateComputeMs(costKey, size);
  const r = await reserve(quotaSubjects(ctx.principal), estimate, ctx.requestId, instanceId(), env.requestTimeoutMs() + 60_000);
  if (!r.ok) throw refusalError(r);
  let result: RunResult<T>;
  try {
    result = await run(size);
  } catch (e) {
    const spent = spentComputeMs(e);
    await settle(r.reservation, spent === undefined ? null : round(spent));
    if (spent !== undefined) {
      ctx.usage.computeMs = round(spent);
      ctx.headers["x-compute-ms"] = String(round(spent));
    }
    throw toApiError(e, field);
  }
  const computeMs = round(result.stats.computeMs);
  await settle(r.reservation, computeMs);
  observeCost(costKey, size, result.stats.computeMs);
  ctx.usage.computeMs = computeMs;
  ctx.headers["x-compute-ms"] = String(computeMs);
  ctx.headers["x-quota-remaining-compute-ms"] = String(Math.max(0, Math.floor(r.remainingComputeMs + estimate - computeMs)));
  ctx.headers["x-quota-remaining-requests"] = String(r.remainingRequests);
  return result;
}
