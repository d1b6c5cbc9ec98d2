import "server-only";
/**
 * Registry rows → servable entries. A built-in is its catalog entry; an uploaded model contributes one entry per
 * version that passed validation, named `<model>@<version>`, its files by hash with the specs read at upload.
 */
import type { ModelRow, ModelVersionRow } from "@/lib/db/models";
import { CATALOG, type CatalogEntry, type EntryFile, type Modality, type Task, type WeightRole, type WeightSpec } from "@/lib/models/catalog";
import { parseTextSpec, TEXT_SPEC_OPTION } from "@/lib/models/text/spec";

/** Statuses of a version that can serve: validated (measuring in the background) or measured. */
export const SERVABLE_STATUSES: readonly string[] = ["measuring", "ready"];

export function servableId(modelId: string, version: string): string {
  return `${modelId}@${version}`;
}

/** One stored file of a version (ModelVersion.files). */
export interface StoredFile {
  role: WeightRole;
  key: string;
  sha256: string;
  bytes: number;
  /** The name it was uploaded under (for the model card). */
  name: string;
}

/** What was read from one ONNX file at upload (ModelVersion.signature). */
export interface StoredSignature {
  role: WeightRole;
  key: string;
  spec: WeightSpec;
  irVersion: number;
  producer: string;
  opset: number | null;
  ops: string[];
}

const MODALITY: Record<Task, Modality> = { ocr: "image", vad: "audio", tensor: "tensor", text: "text" };

function asArray<T>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

/** The entry of one uploaded version. */
export function uploadedEntry(model: ModelRow, v: ModelVersionRow): CatalogEntry {
  const specs = new Map(asArray<StoredSignature>(v.signature).map((s) => [s.key, s.spec]));
  const files: EntryFile[] = asArray<StoredFile>(v.files).map((f) => ({ key: f.key, role: f.role, sha256: f.sha256, bytes: f.bytes, ...(specs.get(f.key) ? { spec: specs.get(f.key) } : {}) }));
  const task = model.task as Task;
  const options = (v.options && typeof v.options === "object" && !Array.isArray(v.options) ? v.options : {}) as Record<string, number | boolean | string>;
  // A text version's spec was validated when it was registered (lib/registry/upload.ts): labels and featurizer.
  const { [TEXT_SPEC_OPTION]: textSpec, ...defaults } = options;
  return {
    id: servableId(model.id, v.version),
    modelId: model.id,
    builtIn: false,
    family: model.family,
    task,
    modality: MODALITY[task],
    version: v.version,
    variant: v.version,
    displayName: `${model.displayName} · ${v.version}`,
    description: model.description,
    license: model.license,
    source: model.source,
    weights: files.map((f) => f.key),
    files,
    defaults,
    ...(task === "text" && typeof textSpec === "string" ? { text: parseTextSpec(textSpec) } : {}),
  };
}

/** Every uploaded version that can serve, as entries (built-ins are the runtime's own). */
export function uploadedEntries(rows: readonly (ModelRow & { versions: ModelVersionRow[] })[]): CatalogEntry[] {
  return rows.filter((m) => !m.builtIn).flatMap((m) => m.versions.filter((v) => SERVABLE_STATUSES.includes(v.status)).map((v) => uploadedEntry(m, v)));
}

/** A built-in entry by model id (built-ins have one version: the model is the servable). */
export function builtInEntry(id: string): CatalogEntry | undefined {
  return CATALOG.find((e) => e.id === id);
}
