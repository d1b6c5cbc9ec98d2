import "server-only";
/**
 * `model: "auto"` on the inference routes: feeds the router this host's benchmark table, the live queue depths and
 * what the caller may use, records the decision, and names the choice in the `x-pareto-model` header and the
 * body's `selection`. Any other `model` goes through resolveModel unchanged; the constraint parameters are
 * refused there, since they would be silently ignored.
 */
import { ApiError } from "@/lib/api/errors";
import type { MeteredContext } from "@/lib/api/route";
import { defaultModel, resolveModel } from "@/lib/api/run-model";
import { listModelRows } from "@/lib/db/models";
import { recordRoutingDecision } from "@/lib/db/routing";
import { allows } from "@/lib/keys/scopes";
import { CATALOG, catalogEntry, type CatalogEntry, type Task } from "@/lib/models/catalog";
import { getRuntime } from "@/lib/runtime";
import { route, type Candidate, type Constraints, type RouterModel } from "./router";
import { loadTable } from "./service";
import { p95At } from "./table";

export interface AutoParams extends Constraints {
  model?: string;
}

export interface Selection {
  model: string;
  reason: string;
  candidates: Candidate[];
}

const CONSTRAINT_PARAMS = ["max_latency_ms", "min_accuracy", "max_memory_mb", "objective"] as const;

export async function chooseModel<P>(o: AutoParams, task: Task, ctx: MeteredContext<P>): Promise<{ entry: CatalogEntry; selection?: Selection }> {
  if (o.model !== "auto") {
    const given = CONSTRAINT_PARAMS.find((k) => o[k] !== undefined);
    if (given) throw new ApiError("validation_error", `${given} applies only with model=auto.`, { param: given });
    return { entry: await resolveModel(o.model, task) };
  }
  const constraints: Constraints = Object.fromEntries(CONSTRAINT_PARAMS.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
  const [table, rows, fallback] = await Promise.all([loadTable(), listModelRows(), defaultModel(task)]);
  const rt = getRuntime();
  const status = rt.status();
  const scopes = ctx.principal.key?.scopes;
  const serviceMs = (id: string) => rt.metrics.meanComputeMs(id) || table.get(id)?.latency[1]?.computeMeanMs || table.get(id)?.latency[1]?.p50 || 0;
  const models: RouterModel[] = CATALOG.filter((e) => e.task === task).map((e) => {
    const f = table.get(e.id);
    const row = rows.find((r) => r.id === e.id);
    const st = status.find((s) => s.id === e.id);
    const unavailable =
      row && !row.enabled ? "disabled" : scopes && !allows(scopes, "inference", { modelId: e.id, task }) ? "not_allowed" : st?.state === "FAILED" ? "unavailable" : undefined;
    return { model: e.id, accuracy: f?.accuracy ?? null, p95Ms: f ? p95At(f, 1) : null, serviceMs: serviceMs(e.id), memoryMb: f?.memoryPeakMb ?? null, unavailable };
  });
  const result = route({
    task,
    models,
    constraints,
    defaultModel: fallback.id,
    queue: { workers: rt.config.workers, models: status.map((s) => ({ model: s.id, queued: s.queued, inFlight: s.inFlight, serviceMs: serviceMs(s.id) })) },
  });
  await recordRoutingDecision({
    requestId: ctx.requestId,
    userId: ctx.principal.userId,
    task,
    constraints,
    candidates: result.candidates,
    chosen: result.ok ? result.model : null,
    reason: result.reason,
    reasonMessage: result.reasonMessage,
  });
  if (!result.ok) {
    const first = result.nearest[0]?.violates.find((v) => (CONSTRAINT_PARAMS as readonly string[]).includes(v));
    throw new ApiError("no_model_satisfies", result.reason, { param: first ?? "model" });
  }
  ctx.headers["x-pareto-model"] = result.model;
  return { entry: catalogEntry(result.model)!, selection: { model: result.model, reason: result.reason, candidates: result.candidates } };
}
