/**
 * Runs one catalog entry on one input: the bridge between the catalog and the family pipelines. Executed inside
 * inference workers; options are layered as pipeline defaults < the variant's defaults < the request's.
 * The pipelines run the entry's files by role, so a built-in and an uploaded model of a task take the same path.
 */
import { fileByRole, WEIGHT_SPECS, type CatalogEntry, type EntryFile, type WeightRole } from "./catalog";
import { resolveOcrOptions, runOcr, type OcrGraph, type OcrModels, type OcrOptions, type OcrResult } from "./ocr";
import { InputError, type InferenceContext } from "./tensor";
import { runClassify, type ClassifyOptions, type ClassifyResult, type TextModel } from "./text/classify";
import { runVad, VAD_FLAVOURS, validateVadOptions, type VadFlavour, type VadModel, type VadOptions, type VadResult } from "./vad";
import { chunkSamples, runVadChunk, type VadChunkResult } from "./vad/stream";

export type EntryOutput =
  | { task: "ocr"; result: OcrResult }
  | { task: "vad"; result: VadResult }
  /** One chunk of a long recording (jobs): options carry `stream: { state }`, the input is float32 LE 16 kHz mono. */
  | { task: "vad-chunk"; result: VadChunkResult }
  | { task: "text"; result: ClassifyResult };

/** An entry that lacks a file its task needs was registered wrongly: a server fault, not the caller's. */
function required(entry: CatalogEntry, role: WeightRole): EntryFile {
  const f = fileByRole(entry, role);
  if (!f) throw new Error(`model ${entry.id} has no ${role} file`);
  return f;
}

/** A graph's first input name from its spec: exporters other than PaddleOCR's name it otherwise than "x". */
function graph(entry: CatalogEntry, f: EntryFile): OcrGraph {
  const input = f.spec?.inputs[0]?.name;
  if (!input) throw new Error(`model ${entry.id}: file ${f.key} (${f.role}) has no input signature`);
  return { key: f.key, input };
}

/**
 * The built-in variants without the classifier have always run it when a request asked (`use_angle_cls=true`): the
 * PP-OCR family ships one, loaded on first use. Uploaded bundles run only what they brought.
 */
const BUILT_IN_CLS: EntryFile = { key: "ppocr-mobile-v2-cls", role: "cls", spec: WEIGHT_SPECS["ppocr-mobile-v2-cls"] };

/** The files an OCR entry's pipeline runs; the angle classifier only when the entry has one. */
export function ocrModels(entry: CatalogEntry): OcrModels {
  const cls = fileByRole(entry, "cls") ?? (entry.builtIn ? BUILT_IN_CLS : undefined);
  const dict = required(entry, "dict");
  return {
    det: graph(entry, required(entry, "det")),
    rec: graph(entry, required(entry, "rec")),
    ...(cls ? { cls: graph(entry, cls) } : {}),
    dict: { key: dict.key, ...(dict.sha256 ? { sha256: dict.sha256 } : {}) },
  };
}

/** The file a VAD entry's pipeline runs and its state interface (built-in v5 and v6 are both flavour "v5"). */
export function vadModel(entry: CatalogEntry): VadModel {
  const flavour = entry.defaults.flavour as VadFlavour;
  if (!VAD_FLAVOURS.includes(flavour)) throw new Error(`model ${entry.id}: defaults.flavour must be one of ${VAD_FLAVOURS.join(", ")}`);
  return { key: required(entry, "model").key, flavour };
}

/** The graph and spec a text entry's pipeline runs. */
export function textModel(entry: CatalogEntry): TextModel {
  if (!entry.text) throw new Error(`model ${entry.id} has no text spec (labels and featurizer)`);
  return { key: required(entry, "model").key, spec: entry.text };
}

/**
 * A job's chunk: the VAD options are checked like a request's (a misspelt one is refused, not ignored) although only
 * the final segmentation uses them; `maxSeconds` does not limit a chunk.
 */
async function runVadChunkEntry(entry: CatalogEntry, input: Buffer, options: Record<string, unknown>, ctx: InferenceContext): Promise<VadChunkResult> {
  const { stream, ...vadOptions } = options;
  validateVadOptions(vadOptions);
  if (stream === null || typeof stream !== "object" || Array.isArray(stream) || !("state" in stream)) {
    throw new InputError("invalid_option", "stream must be an object { state } (state: null for the first chunk)", "stream");
  }
  return runVadChunk(chunkSamples(input), vadModel(entry), (stream as { state: unknown }).state, ctx);
}

export async function runEntry(entry: CatalogEntry, input: Buffer, options: Record<string, unknown>, ctx: InferenceContext): Promise<EntryOutput> {
  if (entry.task === "ocr") {
    const merged = resolveOcrOptions({ ...entry.defaults, ...options } as Partial<OcrOptions>);
    const models = ocrModels(entry);
    if (merged.useAngleCls && !models.cls) {
      throw new InputError("invalid_option", `useAngleCls: model ${entry.id} has no angle classifier`, "useAngleCls");
    }
    return { task: "ocr", result: await runOcr(input, merged, ctx, models) };
  }
  if (entry.task === "vad") {
    if ("stream" in options) return { task: "vad-chunk", result: await runVadChunkEntry(entry, input, options, ctx) };
    return { task: "vad", result: await runVad(input, vadModel(entry), options as VadOptions, ctx) };
  }
  if (entry.task === "text") {
    return { task: "text", result: await runClassify(input, textModel(entry), options as ClassifyOptions, ctx) };
  }
  // A tensor model has no pipeline: its inputs are tensors, not a file to decode.
  throw new InputError("invalid_option", `model ${entry.modelId} is a tensor model: call it through KServe v2 /v2/models/${entry.modelId}/infer`, "model");
}
