import "server-only";
import type { ModelRow, ModelVersionRow } from "@/lib/db/models";
import type { WeightSpec } from "@/lib/models/catalog";
import type { StoredFile, StoredSignature } from "@/lib/registry/entries";
import { registryModelOutput } from "../schemas/registry";

type Row = ModelRow & { versions: ModelVersionRow[] };

const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

/** Built-in rows list npm files (no hash) and their specs without ONNX facts: shown as far as they are known. */
function signatureOf(v: ModelVersionRow) {
  return list<Partial<StoredSignature> & { key: string; inputs?: WeightSpec["inputs"]; outputs?: WeightSpec["outputs"] }>(v.signature).map((s) => ({
    role: s.role ?? s.key,
    opset: s.opset ?? null,
    ir_version: s.irVersion ?? null,
    producer: s.producer ?? null,
    ops: s.ops ?? [],
    inputs: (s.spec?.inputs ?? s.inputs ?? []).map((t) => ({ name: t.name, datatype: t.datatype, shape: t.shape })),
    outputs: (s.spec?.outputs ?? s.outputs ?? []).map((t) => ({ name: t.name, datatype: t.datatype, shape: t.shape })),
  }));
}

/** A registry model with its versions, through the output schema (no stray columns). */
export function presentRegistryModel(row: Row) {
  return registryModelOutput.parse({
    id: row.id,
    object: "registry_model",
    task: row.task,
    name: row.displayName,
    description: row.description,
    license: row.license,
    built_in: row.builtIn,
    enabled: row.enabled,
    default: row.isDefault,
    sticky: row.sticky,
    created_by: row.createdByEmail ?? null,
    created_at: row.createdAt.toISOString(),
    versions: row.versions.map((v) => {
      const files = list<Partial<StoredFile> & { key: string; path?: string; bytes?: number | null }>(v.files);
      return {
        version: v.version,
        status: v.status,
        status_reason: v.statusReason,
        traffic_percent: v.trafficPercent,
        created_at: v.createdAt.toISOString(),
        created_by: v.createdByEmail ?? null,
        size_bytes: files.reduce((n, f) => n + (f.bytes ?? 0), 0),
        files: files.map((f) => ({ role: f.role ?? "model", name: f.name ?? f.path ?? f.key, sha256: f.sha256 ?? null, bytes: f.bytes ?? null })),
        signature: signatureOf(v),
        options: v.options && typeof v.options === "object" && !Array.isArray(v.options) ? v.options : {},
        eval_metric: v.evalMetric,
      };
    }),
  });
}
