import "server-only";
import { CATALOG, type CatalogEntry, type WeightSpec } from "@/lib/models/catalog";
import { resolveModel } from "@/lib/selection/resolve";
import { registryRows } from "@/lib/registry/servables";
import { ApiError, isApiError } from "../errors";
import { toApiError } from "../map-error";

/**
 * KServe model names. A catalog model may run several ONNX files (OCR: det, cls, rec) while the protocol runs
 * one graph per name, so every weight of a built-in is exposed as `<model id>.<weight key>`, and every file of an
 * uploaded model as `<model id>.<role>` (det, cls, rec); a model with exactly one ONNX file (Silero VAD, an uploaded
 * tensor or VAD model) is also exposed under its plain id. An uploaded name answers with the version the traffic
 * split picks, or the one a `/versions/{v}` path pins.
 */
export interface KserveModel {
  name: string;
  entry: CatalogEntry;
  spec: WeightSpec;
}

function builtIns(): KserveModel[] {
  const out: KserveModel[] = [];
  for (const entry of CATALOG) {
    const specs = entry.files.map((f) => f.spec).filter((s): s is WeightSpec => Boolean(s));
    if (specs.length === 1) out.push({ name: entry.id, entry, spec: specs[0] });
    for (const spec of specs) out.push({ name: `${entry.id}.${spec.key}`, entry, spec });
  }
  return out;
}

const BUILT_INS: readonly KserveModel[] = Object.freeze(builtIns());

/** The built-in names (the OpenAPI document lists them as examples; uploaded names join at run time). */
export function kserveModels(): readonly KserveModel[] {
  return BUILT_INS;
}

const HINT = "Names are <model id> for single-file models and <model id>.<weight> for each ONNX file (see GET /api/v1/openapi.json).";

/** The servable of an uploaded model's name for this request (version pinned, or drawn by the split). */
async function uploaded(name: string, version: string | undefined, stickyKey: string | undefined): Promise<KserveModel | undefined> {
  const rows = await registryRows();
  const dot = name.lastIndexOf(".");
  const [id, role] = rows.some((r) => r.id === name) || dot < 0 ? [name, undefined] : [name.slice(0, dot), name.slice(dot + 1)];
  const row = rows.find((r) => r.id === id && !r.builtIn);
  if (!row) return undefined;
  let entry: CatalogEntry;
  try {
    entry = await resolveModel(version === undefined ? id : `${id}@${version}`, row.task as CatalogEntry["task"], stickyKey);
  } catch (e) {
    const a = toApiError(e);
    throw isApiError(a) ? new ApiError(a.code, a.message, { param: "name", headers: a.headers }) : a;
  }
  const onnx = entry.files.filter((f) => f.spec);
  if (role === undefined) {
    if (onnx.length === 1) return { name, entry, spec: onnx[0].spec! };
    throw new ApiError("model_not_found", `${id} runs several ONNX files; address one of them: ${onnx.map((f) => `${id}.${f.role}`).join(", ")}.`, { param: "name" });
  }
  const file = onnx.find((f) => f.role === role);
  if (!file) throw new ApiError("model_not_found", `${id} has no ONNX file "${role}" (files: ${onnx.map((f) => f.role).join(", ")}).`, { param: "name" });
  return { name, entry, spec: file.spec! };
}

/**
 * Resolves a KServe name (and an optional `/versions/{v}`) to one ONNX graph of one servable. Built-ins have one
 * version, their catalog's.
 */
export async function resolveKserveModel(name: string, version?: string, stickyKey?: string): Promise<KserveModel> {
  const m = BUILT_INS.find((x) => x.name === name);
  if (m) {
    if (version !== undefined && version !== m.entry.version) throw new ApiError("model_not_found", `Model ${name} has no version "${version}"; its only version is ${m.entry.version}.`, { param: "version" });
    return m;
  }
  const up = await uploaded(name, version, stickyKey);
  if (up) return up;
  const parts = BUILT_INS.filter((x) => x.entry.id === name).map((x) => x.name);
  const hint = parts.length ? `${name} runs several ONNX files; address one of them: ${parts.join(", ")}.` : HINT;
  throw new ApiError("model_not_found", `No KServe model "${name}". ${hint}`, { param: "name" });
}
