import "server-only";
/**
 * Bringing a model: files already streamed into the blob store (by hash) are read, checked for their task and
 * test-loaded in an isolated process before a row exists; then the model (or the new version) is registered and
 * every instance is told. Measuring it is the server's (lib/registry/measure.ts): an upload through the API starts
 * at once, one from the CLI when a server sees the change. Nothing is accepted that could not serve.
 */
import fs from "node:fs";
import { addModelVersion, createUploadedModel, RegistryConflict, unreferencedBlobs, type NewVersion } from "@/lib/db/model-registry";
import { writeAudit } from "@/lib/db/audit";
import type { Task, TensorSpec, WeightRole, WeightSpec } from "@/lib/models/catalog";
import { ServiceError } from "@/lib/models/errors";
import { readOnnxMeta, type OnnxMeta } from "@/lib/models/onnx/inspect";
import { checkOcrBundle, ocrSpecs, specFromMeta, vadFlavourOf, vadSpec } from "@/lib/models/onnx/signature";
import { textGraphSpec } from "@/lib/models/text/classify";
import { parseTextSpec, TEXT_METADATA_KEY, TEXT_SPEC_OPTION } from "@/lib/models/text/spec";
import { uploadedKey } from "@/lib/models/weights";
import { probeOnnx } from "@/lib/runtime/probe";
import { ensureLocal, removeBlob } from "./blob-store";
import type { StoredFile, StoredSignature } from "./entries";
import { announceRegistryChange } from "./notify";

/** Who made a change: an admin in the UI or API, or an operator at the CLI (no account). */
export interface Actor {
  id: string | null;
  email: string | null;
}

/** A file the upload stored, by the form field it came in. */
export interface StoredUpload {
  field: string;
  filename: string;
  sha256: string;
  bytes: number;
  /** Already in the store before this upload (not removed if the upload is refused). */
  existed: boolean;
}

export interface ModelFields {
  id: string;
  task: Task;
  name?: string;
  version: string;
  license?: string;
  description?: string;
  sticky?: boolean;
  evalMetric?: string;
  /** Where the model came from, on its public card (default: uploaded by an administrator / from the command line). */
  source?: string;
}

/** The form fields that carry files, per task (`eval`: labelled JSONL for a tensor model's accuracy). */
export const FILE_FIELDS: Readonly<Record<Task, readonly string[]>> = {
  tensor: ["file", "eval"],
  vad: ["file"],
  ocr: ["det", "rec", "cls", "dict"],
  text: ["file", "eval"],
};
export const ALL_FILE_FIELDS = ["file", "eval", "det", "rec", "cls", "dict"] as const;

const ROLE_OF_FIELD: Readonly<Record<string, WeightRole>> = { file: "model", det: "det", rec: "rec", cls: "cls", dict: "dict" };
const MAX_DICT_BYTES = 4 * 1024 * 1024;

interface Checked {
  files: StoredFile[];
  signature: StoredSignature[];
  options: Record<string, string | number | boolean>;
  evalSha256: string | null;
}

function need(files: Map<string, StoredUpload>, field: string, task: Task): StoredUpload {
  const f = files.get(field);
  if (!f) throw new ServiceError("validation_error", `A ${task} model needs the file "${field}".`, { param: field });
  return f;
}

async function metaOf(u: StoredUpload): Promise<{ path: string; meta: OnnxMeta }> {
  const path = await ensureLocal(u.sha256);
  let meta: OnnxMeta;
  try {
    meta = readOnnxMeta(path);
  } catch (e) {
    throw withParam(e, u.field);
  }
  if (meta.externalData) throw new ServiceError("invalid_model", `${u.filename} keeps its weights in external data files; upload a self-contained ONNX file (onnx.save(model, path, save_as_external_data=False)).`, { param: u.field });
  try {
    await probeOnnx(path);
  } catch (e) {
    throw withParam(e, u.field);
  }
  return { path, meta };
}

function withParam(e: unknown, field: string): unknown {
  if (typeof e === "object" && e !== null && "code" in e && !(e as { param?: string }).param) Object.defineProperty(e, "param", { value: field });
  return e;
}

function signatureOf(role: WeightRole, key: string, spec: WeightSpec, meta: OnnxMeta): StoredSignature {
  return { role, key, spec, irVersion: meta.irVersion, producer: meta.producer, opset: meta.defaultOpset, ops: meta.ops };
}

function stored(role: WeightRole, u: StoredUpload): StoredFile {
  return { role, key: uploadedKey(u.sha256), sha256: u.sha256, bytes: u.bytes, name: u.filename };
}

/** Reads, checks and test-loads the files of one version of a `task` model. */
async function checkFiles(task: Task, files: Map<string, StoredUpload>): Promise<Checked> {
  for (const field of files.keys()) {
    if (!FILE_FIELDS[task].includes(field)) throw new ServiceError("validation_error", `A ${task} model takes the files ${FILE_FIELDS[task].join(", ")}; "${field}" is not one of them.`, { param: field });
  }
  if (task === "text") return checkTextFiles(files);
  if (task === "tensor" || task === "vad") {
    const u = need(files, "file", task);
    const { meta } = await metaOf(u);
    const key = uploadedKey(u.sha256);
    let spec: WeightSpec;
    let options: Checked["options"] = {};
    if (task === "vad") {
      const flavour = withFieldError(() => vadFlavourOf(meta), "file");
      spec = vadSpec(key, flavour);
      options = { flavour };
    } else {
      spec = specFromMeta(key, meta);
      assertServableTypes(spec, u.field);
    }
    const evalFile = files.get("eval");
    if (evalFile) await checkEvalFile(evalFile, spec);
    return { files: [stored("model", u)], signature: [signatureOf("model", key, spec, meta)], options, evalSha256: evalFile?.sha256 ?? null };
  }
  const det = need(files, "det", task);
  const rec = need(files, "rec", task);
  const dictFile = need(files, "dict", task);
  const cls = files.get("cls");
  if (dictFile.bytes > MAX_DICT_BYTES) throw new ServiceError("invalid_model", `The dictionary is ${dictFile.bytes} bytes; at most ${MAX_DICT_BYTES} (one symbol per line).`, { param: "dict" });
  const dict = fs.readFileSync(await ensureLocal(dictFile.sha256), "utf8");
  const [d, r, c] = [await metaOf(det), await metaOf(rec), cls ? await metaOf(cls) : undefined];
  const keys = { det: uploadedKey(det.sha256), rec: uploadedKey(rec.sha256), cls: cls ? uploadedKey(cls.sha256) : undefined };
  const bundle = checkOcrBundle({ det: d.meta, rec: r.meta, cls: c?.meta, dict });
  const specs = ocrSpecs(keys, { det: d.meta, rec: r.meta, cls: c?.meta });
  const files_ = [stored("det", det), ...(cls ? [stored("cls", cls)] : []), stored("rec", rec), stored("dict", dictFile)];
  const signature = [signatureOf("det", keys.det, specs.det, d.meta), ...(cls && c && specs.cls && keys.cls ? [signatureOf("cls", keys.cls, specs.cls, c.meta)] : []), signatureOf("rec", keys.rec, specs.rec, r.meta)];
  return { files: files_, signature, options: { detLimitSide: 960, useAngleCls: Boolean(cls), dictSize: bundle.dictSize }, evalSha256: null };
}

/**
 * A text classifier: an ONNX graph with `indices`/`values` inputs and a `probabilities` output, carrying its labels
 * and featurizer in the `pareto.text` metadata (what Pareto's trainer writes). The spec is kept in the version's
 * options, so workers featurize exactly as the trainer did.
 */
async function checkTextFiles(files: Map<string, StoredUpload>): Promise<Checked> {
  const u = need(files, "file", "text");
  const { meta } = await metaOf(u);
  const raw = meta.metadata[TEXT_METADATA_KEY];
  if (raw === undefined) throw new ServiceError("invalid_model", `A text model carries its labels and featurizer in the ONNX metadata "${TEXT_METADATA_KEY}" (Pareto's trainer writes it); ${u.filename} has none.`, { param: "file" });
  const text = withFieldError(() => parseTextSpec(raw), "file");
  const key = uploadedKey(u.sha256);
  const spec = textGraphSpec(key, text.labels.length);
  const found = specFromMeta(key, meta);
  const has = (list: readonly TensorSpec[], name: string, datatype: string) => list.some((t) => t.name === name && t.datatype === datatype);
  if (!has(found.inputs, "indices", "INT64") || !has(found.inputs, "values", "FP32") || found.inputs.length !== 2 || !has(found.outputs, "probabilities", "FP32")) {
    throw new ServiceError("invalid_model", 'A text model takes the inputs indices (INT64 [N, L]) and values (FP32 [N, L]) and gives probabilities (FP32 [N, labels]).', { param: "file" });
  }
  const width = found.outputs.find((t) => t.name === "probabilities")!.shape[1];
  if (width !== undefined && width >= 0 && width !== text.labels.length) throw new ServiceError("invalid_model", `The model gives ${width} probabilities per text but its metadata names ${text.labels.length} labels.`, { param: "file" });
  const evalFile = files.get("eval");
  if (evalFile) await checkTextEval(evalFile, text.labels);
  return { files: [stored("model", u)], signature: [signatureOf("model", key, spec, meta)], options: { [TEXT_SPEC_OPTION]: JSON.stringify(text) }, evalSha256: evalFile?.sha256 ?? null };
}

/** A labelled JSONL file for a text model: one `{"text": …, "label": …}` per line, labels the model's own. */
async function checkTextEval(u: StoredUpload, labels: readonly string[]): Promise<void> {
  const lines = fs.readFileSync(await ensureLocal(u.sha256), "utf8").split("\n").filter((l) => l.trim());
  if (!lines.length) throw new ServiceError("validation_error", "The eval file is empty: one JSON object per line.", { param: "eval" });
  const known = new Set(labels);
  lines.forEach((line, i) => {
    let row: { text?: unknown; label?: unknown };
    try {
      row = JSON.parse(line) as typeof row;
    } catch {
      throw new ServiceError("validation_error", `Eval file line ${i + 1} is not JSON.`, { param: "eval" });
    }
    if (typeof row?.text !== "string" || typeof row.label !== "string") throw new ServiceError("validation_error", `Eval file line ${i + 1} needs "text" and "label" strings.`, { param: "eval" });
    if (!known.has(row.label)) throw new ServiceError("validation_error", `Eval file line ${i + 1}: the model has no label "${row.label}".`, { param: "eval" });
  });
}

/** The tensor types KServe's JSON path carries today (lib/api/kserve/json-decode.ts). */
const SERVED_TYPES: readonly string[] = ["FP32", "INT64"];

function assertServableTypes(spec: WeightSpec, field: string): void {
  const odd = [...spec.inputs.map((t) => ({ t, dir: "input" })), ...spec.outputs.map((t) => ({ t, dir: "output" }))].find((x) => !SERVED_TYPES.includes(x.t.datatype));
  if (odd) {
    throw new ServiceError("invalid_model", `${odd.dir} ${odd.t.name} is ${odd.t.datatype}; tensor models are served over KServe v2 JSON with FP32 and INT64 tensors only.`, { param: field });
  }
}

function withFieldError<T>(f: () => T, field: string): T {
  try {
    return f();
  } catch (e) {
    throw withParam(e, field);
  }
}

/** A labelled JSONL file: one `{"inputs": {name: [numbers…]}, "label": …}` per line, names from the model. */
async function checkEvalFile(u: StoredUpload, spec: WeightSpec): Promise<void> {
  const text = fs.readFileSync(await ensureLocal(u.sha256), "utf8");
  const lines = text.split("\n").filter((l) => l.trim());
  if (!lines.length) throw new ServiceError("validation_error", "The eval file is empty: one JSON object per line.", { param: "eval" });
  const names = spec.inputs.map((i) => i.name);
  lines.forEach((line, i) => {
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new ServiceError("validation_error", `Eval file line ${i + 1} is not JSON.`, { param: "eval" });
    }
    const r = row as { inputs?: Record<string, unknown>; label?: unknown };
    if (!r || typeof r !== "object" || !r.inputs || typeof r.inputs !== "object") throw new ServiceError("validation_error", `Eval file line ${i + 1} has no "inputs" object.`, { param: "eval" });
    const missing = names.filter((n) => !(n in r.inputs!));
    if (missing.length) throw new ServiceError("validation_error", `Eval file line ${i + 1} lacks the input${missing.length > 1 ? "s" : ""} ${missing.join(", ")}.`, { param: "eval" });
    if (r.label === undefined) throw new ServiceError("validation_error", `Eval file line ${i + 1} has no "label".`, { param: "eval" });
  });
}

/** Removes the files of a refused upload that nothing else uses. */
export async function discardUploads(files: Iterable<StoredUpload>): Promise<void> {
  const fresh = [...files].filter((f) => !f.existed).map((f) => f.sha256);
  for (const sha of await unreferencedBlobs(fresh)) await removeBlob(sha).catch(() => undefined);
}

function versionRow(actor: Actor, fields: Pick<ModelFields, "version" | "evalMetric">, checked: Checked, trafficPercent: number): NewVersion {
  return {
    version: fields.version,
    files: checked.files,
    signature: checked.signature,
    options: checked.options,
    status: "measuring",
    trafficPercent,
    evalSha256: checked.evalSha256,
    evalMetric: checked.evalSha256 ? (fields.evalMetric ?? "accuracy") : null,
    createdById: actor.id,
    createdByEmail: actor.email,
  };
}

async function afterChange(actor: Actor, action: string, targetId: string, details: Record<string, unknown>): Promise<void> {
  await writeAudit({ actorId: actor.id, actorEmail: actor.email, action, targetType: "model", targetId, details: JSON.parse(JSON.stringify(details)) });
  await announceRegistryChange();
}

/** Registers a new model with its first version (all the traffic). Refused uploads leave no files behind. */
export async function registerModel(actor: Actor, fields: ModelFields, files: Map<string, StoredUpload>): Promise<void> {
  try {
    const checked = await checkFiles(fields.task, files);
    await createUploadedModel(
      {
        id: fields.id,
        task: fields.task,
        // A text classifier is its own family: `auto` compares only variants that share a label set.
        family: fields.task === "text" ? fields.id : "uploaded",
        displayName: fields.name?.trim() || fields.id,
        description: fields.description?.trim() ?? "",
        license: fields.license?.trim() || "unspecified",
        // Public (model cards): who uploaded it is for admins (createdByEmail, the audit log), not for every reader.
        source: fields.source ?? (actor.email ? "Uploaded by an administrator" : "Uploaded from the command line"),
        createdById: actor.id,
        createdByEmail: actor.email,
        sticky: fields.sticky ?? false,
      },
      versionRow(actor, fields, checked, 100),
    );
    await afterChange(actor, "model.upload", fields.id, { task: fields.task, version: fields.version, files: checked.files.map((f) => ({ role: f.role, sha256: f.sha256, bytes: f.bytes })) });
  } catch (e) {
    await discardUploads(files.values());
    if (e instanceof RegistryConflict) throw new ServiceError("conflict", e.message, { param: "id" });
    throw e;
  }
}

/** Adds a version to an uploaded model; it takes no traffic until an admin splits some to it. */
export async function registerVersion(actor: Actor, model: { id: string; task: Task; builtIn: boolean }, fields: Pick<ModelFields, "version" | "evalMetric">, files: Map<string, StoredUpload>): Promise<void> {
  try {
    if (model.builtIn) throw new ServiceError("model_in_use", `${model.id} is built in: its files come with Pareto. Upload your model under a new id.`, { param: "id" });
    const checked = await checkFiles(model.task, files);
    await addModelVersion(model.id, versionRow(actor, fields, checked, 0));
    await afterChange(actor, "model.version.add", model.id, { version: fields.version, files: checked.files.map((f) => ({ role: f.role, sha256: f.sha256, bytes: f.bytes })) });
  } catch (e) {
    await discardUploads(files.values());
    if (e instanceof RegistryConflict) throw new ServiceError("conflict", e.message, { param: "version" });
    throw e;
  }
}

export { ROLE_OF_FIELD };
