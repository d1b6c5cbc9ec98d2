import "server-only";
import { CATALOG, type CatalogEntry, type WeightSpec } from "@/lib/models/catalog";
import { ApiError } from "../errors";

/**
 * KServe model names. A catalog model may run several ONNX files (OCR: det, cls, rec) while the protocol runs
 * one graph per name, so every weight is exposed as `<model id>.<weight key>`; a model with exactly one ONNX
 * weight (Silero VAD) is also exposed under its plain id.
 */
export interface KserveModel {
  name: string;
  entry: CatalogEntry;
  spec: WeightSpec;
}

function build(): KserveModel[] {
  const out: KserveModel[] = [];
  for (const entry of CATALOG) {
    const specs = entry.files.map((f) => f.spec).filter((s): s is WeightSpec => Boolean(s));
    if (specs.length === 1) out.push({ name: entry.id, entry, spec: specs[0] });
    for (const spec of specs) out.push({ name: `${entry.id}.${spec.key}`, entry, spec });
  }
  return out;
}

const MODELS: readonly KserveModel[] = Object.freeze(build());

export function kserveModels(): readonly KserveModel[] {
  return MODELS;
}

export function resolveKserveModel(name: string): KserveModel {
  const m = MODELS.find((x) => x.name === name);
  if (m) return m;
  const parts = MODELS.filter((x) => x.entry.id === name).map((x) => x.name);
  const hint = parts.length
    ? `${name} runs several ONNX files; address one of them: ${parts.join(", ")}.`
    : "Names are <model id> for single-file models and <model id>.<weight> for each ONNX file (see GET /api/v1/openapi.json).";
  throw new ApiError("model_not_found", `No KServe model "${name}". ${hint}`, { param: "name" });
}
