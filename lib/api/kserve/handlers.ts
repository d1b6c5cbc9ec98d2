import "server-only";
import { readiness } from "@/lib/boot/readiness";
import { findModelRow } from "@/lib/db/models";
import { SERVABLE_STATUSES } from "@/lib/registry/entries";
import { registryRows } from "@/lib/registry/servables";
import { log } from "@/lib/log";
import { isDomainError } from "@/lib/models/errors";
import { admitTensors, getRuntime } from "@/lib/runtime";
import pkg from "@/package.json";
import { ApiError, isApiError } from "../errors";
import { toErrorReply } from "../error-response";
import type { MeteredContext } from "../route";
import { requireModelScope } from "../principal";
import { tensorSize, withQuota } from "../quota-run";
import { kserveInferResponse, kserveLive, kserveModelMetadata, kserveModelReady, kserveReady, kserveServerMetadata } from "../schemas/kserve";
import { resolveKserveModel, type KserveModel } from "./models";
import { readKserveJson, renderKserveError } from "./protocol";
import { fromOutputs, pickOutputs, toFeeds } from "./tensors";

type NameParams = { name: string; version?: string };

/** GET /v2 */
export function serverMetadata() {
  return { body: kserveServerMetadata.parse({ name: pkg.name, version: pkg.version, extensions: [] }) };
}

/** GET /v2/health/live: the process answers. */
export function live() {
  return { body: kserveLive.parse({ live: true }) };
}

/**
 * GET /v2/health/ready: the same checks as /api/ready (the database answers, Redis when configured, some model is
 * not FAILED). Not ready is a 503 in the protocol's error shape, as KServe's own server answers.
 */
export async function ready(requestId: string): Promise<Response> {
  const r = await readiness();
  if (r.ready) return Response.json(kserveReady.parse({ ready: true }));
  if (r.body.status === "starting") return renderKserveError(toErrorReply(new ApiError("unavailable", "Not ready: the server is starting."), requestId));
  const { database, redis, models } = r.body.checks;
  const why = [!database.ok && "the database does not answer", !redis.ok && "redis does not answer", models.every((m) => m.state === "FAILED") && "no model can be loaded"].filter(Boolean);
  return renderKserveError(toErrorReply(new ApiError("unavailable", `Not ready: ${why.join("; ")}.`), requestId));
}

async function assertServable(m: KserveModel): Promise<void> {
  const row = await findModelRow(m.entry.modelId);
  if (row && !row.enabled) throw new ApiError("model_disabled", `Model ${m.entry.modelId} is disabled by an administrator.`, { param: "name" });
  const st = getRuntime().status().find((s) => s.id === m.entry.id);
  if (st?.state === "FAILED") throw new ApiError("model_unavailable", `Model ${m.entry.id} cannot be loaded: ${st.reason ?? "unknown reason"}.`, { headers: { "retry-after": "30" } });
}

/** The versions a name has: a built-in's one, an uploaded model's that can serve. */
async function versionsOf(m: KserveModel): Promise<string[]> {
  if (m.entry.builtIn) return [m.entry.version];
  const row = (await registryRows()).find((r) => r.id === m.entry.modelId);
  return row ? row.versions.filter((v) => SERVABLE_STATUSES.includes(v.status)).map((v) => v.version) : [m.entry.version];
}

/** GET /v2/models/{name} */
export async function modelMetadata(ctx: MeteredContext<NameParams>) {
  const m = await resolveKserveModel(ctx.params.name, ctx.params.version, ctx.principal.key?.id);
  return { body: kserveModelMetadata.parse({ name: m.name, versions: await versionsOf(m), platform: "onnxruntime", inputs: m.spec.inputs, outputs: m.spec.outputs }) };
}

/** GET /v2/models/{name}/ready: 200 when it can serve now, else the reason (403 disabled, 503 failed). */
export async function modelReady(ctx: MeteredContext<NameParams>) {
  const m = await resolveKserveModel(ctx.params.name, ctx.params.version, ctx.principal.key?.id);
  await assertServable(m);
  return { body: kserveModelReady.parse({ name: m.name, ready: true }) };
}

/**
 * Raw runtime failures on this path come from ONNX Runtime rejecting tensors that passed our checks (a value the
 * graph refuses, say): the caller's input, so a 400 that carries the runtime's message.
 */
function rejected(e: unknown, requestId: string): unknown {
  if (isDomainError(e) || isApiError(e) || !(e instanceof Error)) return e;
  log("warn", "kserve inference rejected", { requestId, error: e.message });
  return new ApiError("bad_request", `The model rejected the inputs: ${e.message}`, { param: "inputs" });
}

/** POST /v2/models/{name}/infer */
export async function infer(ctx: MeteredContext<NameParams>) {
  const m = await resolveKserveModel(ctx.params.name, ctx.params.version, ctx.principal.key?.id);
  // Every call to a known model is counted against it in usage reports, refused and invalid ones too.
  ctx.usage.modelId = m.entry.modelId;
  ctx.usage.modelVersion = m.entry.builtIn ? null : m.entry.version;
  // Scope before anything else, so a key for other models learns nothing from its requests.
  requireModelScope(ctx.principal, { modelId: m.entry.modelId, task: m.entry.task });
  await assertServable(m);
  const body = await readKserveJson(ctx.req, m.spec);
  const feeds = toFeeds(m.spec, m.name, body.inputs);
  const names = pickOutputs(m.spec, m.name, body.outputs);
  const run = await withQuota(
    ctx,
    m.entry,
    async () => {
      // Raw tensors share the decode budget: a detection call of 8 M elements needs ~400 MB of activations.
      const lease = admitTensors(m.spec.key, Object.values(feeds));
      try {
        // Handed over: the size and the decode budget were taken from the feeds above; nothing reads them after this.
        return await getRuntime().infer(m.entry.id, m.spec.key, feeds, { signal: ctx.req.signal, handOver: true }).catch((e: unknown) => Promise.reject(rejected(e, ctx.requestId)));
      } finally {
        lease.release();
      }
    },
    "inputs",
    tensorSize(m.spec.key, feeds),
  );
  ctx.usage.units = 1;
  ctx.usage.unitKind = "inference";
  return { body: kserveInferResponse.parse({ model_name: m.name, model_version: m.entry.version, id: body.id ?? ctx.requestId, outputs: fromOutputs(run.output, names) }) };
}
