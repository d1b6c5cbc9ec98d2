import "server-only";
/**
 * `model: "auto"` on the inference routes: feeds the router this host's benchmark table, the live queue depths and
 * what the caller may use, records the decision, and returns the choice for the edge to name in the
 * `x-pareto-model` header and the body's `selection`. Any other `model` goes through resolveModel unchanged; the
 * constraint parameters are refused there, since they would be silently ignored.
 */
import { recordRoutingDecision } from "@/lib/db/routing";
import { allows } from "@/lib/keys/scopes";
import type { CatalogEntry, Task } from "@/lib/models/catalog";
import { ServiceError } from "@/lib/models/errors";
import type { Principal } from "@/lib/metering/limits";
import { getRuntime } from "@/lib/runtime";
import { registryRows } from "@/lib/registry/servables";
import { defaultModel, resolveModel } from "./resolve";
import type { Message } from "@/lib/i18n/message";
import { route, type Candidate, type Constraints, type RouterModel } from "./router";
import { taskServables } from "./servables";
import { loadTable } from "./service";
import { p95At } from "./table";

export interface AutoParams extends Constraints {
  model?: string;
  /** Text classification only: the family (or trained model) whose variants `auto` chooses among. */
  family?: string;
}

export interface Selection {
  model: string;
  /** English, for API clients; `reason_message` lets a page render it in the reader's language. */
  reason: string;
  reason_message: Message;
  candidates: Candidate[];
}

/** Who asks, for the decision record and the key's model scopes. */
export interface ChooseContext {
  requestId: string;
  principal: Pick<Principal, "userId" | "key">;
}

export interface Choice {
  entry: CatalogEntry;
  /** Only for `model: "auto"`: the decision, for the response body. */
  selection?: Selection;
  /** Only for `model: "auto"`: the model chosen, for the `x-pareto-model` response header. */
  modelHeader?: string;
}

const CONSTRAINT_PARAMS = ["max_latency_ms", "min_accuracy", "max_memory_mb", "objective"] as const;
/** Parameters that mean something only with model=auto (the constraints, and the text task's family). */
const AUTO_PARAMS = [...CONSTRAINT_PARAMS, "family"] as const;

export async function chooseModel(o: AutoParams, task: Task, ctx: ChooseContext): Promise<Choice> {
  if (o.model !== "auto") {
    const given = AUTO_PARAMS.find((k) => o[k] !== undefined);
    if (given) throw new ServiceError("validation_error", `${given} applies only with model=auto.`, { param: given });
    return { entry: await resolveModel(o.model, task) };
  }
  const constraints: Constraints = Object.fromEntries(CONSTRAINT_PARAMS.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
  // Every servable of the task: built-ins and uploaded versions that can serve (the runtime knows them once the
  // registry rows are read). Choosing an uploaded version pins it: the split is for requests naming the model.
  const [table, rows, taskDefault] = await Promise.all([loadTable(), registryRows(), defaultModel(task).catch(() => undefined)]);
  // Text classifiers answer different questions (languages, spam, topics): `auto` compares only the variants of one
  // family — the default's (the language identifier) unless the request names another (a trained model's id).
  const family = task === "text" ? (o.family ?? taskDefault?.family ?? "langid") : undefined;
  const servables = taskServables(rows, task).filter((s) => family === undefined || s.entry.family === family);
  if (family !== undefined && servables.length === 0) throw new ServiceError("model_not_found", `No text model family "${family}". GET /api/v1/models lists them.`, { param: o.family !== undefined ? "family" : "model" });
  // The router's fallback: the task default, or for another family the version most of its model's traffic reaches.
  const fallback = taskDefault && (family === undefined || taskDefault.family === family) ? taskDefault : await resolveModel(servables[0].entry.modelId, task);
  const rt = getRuntime();
  const status = rt.status();
  const scopes = ctx.principal.key?.scopes;
  const serviceMs = (id: string) => rt.metrics.meanComputeMs(id) || table.get(id)?.latency[1]?.computeMeanMs || table.get(id)?.latency[1]?.p50 || 0;
  const models: RouterModel[] = servables.map(({ entry: e, row }) => {
    const f = table.get(e.id);
    const st = status.find((s) => s.id === e.id);
    const unavailable =
      row && !row.enabled ? "disabled" : scopes && !allows(scopes, "inference", { modelId: e.modelId, task }) ? "not_allowed" : st?.state === "FAILED" ? "unavailable" : undefined;
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
    throw new ServiceError("no_model_satisfies", result.reason, { param: first ?? "model" });
  }
  const chosen = servables.find((s) => s.entry.id === result.model)?.entry ?? fallback;
  return { entry: chosen, selection: { model: result.model, reason: result.reason, reason_message: result.reasonMessage, candidates: result.candidates }, modelHeader: chosen.modelId };
}
