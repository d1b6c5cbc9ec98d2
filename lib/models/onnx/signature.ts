/**
 * From what an uploaded ONNX file declares (inspect.ts) to the WeightSpec the runtime serves it with, and the
 * checks that an upload fits its task: a Silero-compatible VAD signature, or a PP-OCR bundle whose recogniser's
 * class count matches its dictionary. Pure: no files, no ONNX Runtime. Refusals are ServiceError("invalid_model")
 * naming the file's role and what was expected against what was found.
 */
import { WEIGHT_SPECS, type TensorSpec, type WeightSpec } from "@/lib/models/catalog";
import { ServiceError } from "@/lib/models/errors";
import { charsetFromDictionary } from "@/lib/models/ocr/ctc-decode";
import type { OnnxMeta, OnnxValueInfo } from "./inspect";

function invalid(message: string): ServiceError {
  return new ServiceError("invalid_model", message);
}

function describe(v: OnnxValueInfo): string {
  const dims = v.hasShape ? `[${v.dims.map((d) => (typeof d === "number" && d > 0 ? d : typeof d === "string" ? d : "?")).join(", ")}]` : "[unknown shape]";
  return `${v.name} ${v.datatype ?? "non-tensor"}${dims}`;
}

function tensorSpec(v: OnnxValueInfo, role: string): TensorSpec {
  if (!v.datatype) throw invalid(`The ${role} ${v.name} is not a tensor of a type Pareto can serve (sequences, maps and complex numbers are not).`);
  if (!v.hasShape) throw invalid(`The ${role} ${v.name} declares no shape; export the model with input and output shapes (dynamic axes may be named).`);
  return { name: v.name, datatype: v.datatype, shape: v.dims.map((d) => (typeof d === "number" && d > 0 ? d : -1)) };
}

/** A `tensor` upload's spec: its inputs and outputs as declared, -1 for dynamic axes; no batching, no arena. */
export function specFromMeta(key: string, meta: OnnxMeta): WeightSpec {
  if (meta.inputs.length === 0) throw invalid("The model has no inputs (every graph input is an initializer).");
  return { key, inputs: meta.inputs.map((v) => tensorSpec(v, "input")), outputs: meta.outputs.map((v) => tensorSpec(v, "output")) };
}

/**
 * Whether a declared tensor can stand where a spec's does: same type, same rank, and every axis the spec fixes
 * either fixed to the same size or left dynamic by the file. Returns what is wrong, or null.
 */
function mismatch(v: OnnxValueInfo, s: TensorSpec): string | null {
  if (v.datatype && v.datatype !== s.datatype) return `${v.name} is ${v.datatype}, expected ${s.datatype}`;
  if (!v.hasShape) return null;
  if (v.dims.length !== s.shape.length) return `${v.name} has ${v.dims.length} axes, expected ${s.shape.length}`;
  for (let i = 0; i < s.shape.length; i++) {
    const d = v.dims[i];
    if (s.shape[i] > 0 && typeof d === "number" && d > 0 && d !== s.shape[i]) return `${v.name} axis ${i} is ${d}, expected ${s.shape[i]}`;
  }
  return null;
}

function signatureText(tensors: readonly { name: string }[]): string {
  return tensors.map((t) => t.name).join(", ");
}

function sameNames(found: readonly { name: string }[], expected: readonly { name: string }[]): boolean {
  return found.length === expected.length && expected.every((e) => found.some((f) => f.name === e.name));
}

// The built-ins' specs are the signatures a VAD upload must have: the pipeline drives their state tensors.
const VAD_REFERENCE = { v4: WEIGHT_SPECS["silero-vad-v4"], v5: WEIGHT_SPECS["silero-vad-v5"] } as const;

function vadReference(flavour: "v4" | "v5"): WeightSpec {
  const spec = VAD_REFERENCE[flavour];
  if (!spec) throw new Error(`no built-in Silero ${flavour} spec`);
  return spec;
}

/** The Silero signature of a VAD upload: v4's `h`/`c` state pair or v5/v6's single `state`. */
export function vadFlavourOf(meta: OnnxMeta): "v4" | "v5" {
  for (const flavour of ["v5", "v4"] as const) {
    const ref = vadReference(flavour);
    if (!sameNames(meta.inputs, ref.inputs) || !sameNames(meta.outputs, ref.outputs)) continue;
    for (const s of [...ref.inputs, ...ref.outputs]) {
      const v = [...meta.inputs, ...meta.outputs].find((x) => x.name === s.name);
      const wrong = v && mismatch(v, s);
      if (wrong) throw invalid(`The VAD model has Silero ${flavour}'s tensor names, but ${wrong}.`);
    }
    return flavour;
  }
  throw invalid(
    "The VAD model's signature is not Silero's: expected inputs (input, state, sr) → outputs (output, stateN) as in Silero v5/v6, " +
      `or inputs (input, sr, h, c) → outputs (output, hn, cn) as in v4; found inputs (${signatureText(meta.inputs)}) → outputs (${signatureText(meta.outputs)}).`,
  );
}

/** The built-in Silero spec of that flavour (its batching included), under the upload's key. */
export function vadSpec(key: string, flavour: "v4" | "v5"): WeightSpec {
  return { ...structuredClone(vadReference(flavour)), key };
}

export type OcrRole = "det" | "rec" | "cls";

const ROLE_NAME: Readonly<Record<OcrRole, string>> = { det: "detector", rec: "recogniser", cls: "angle classifier" };

/** The one input and one output of an OCR graph, checked against the shape the pipeline feeds and reads. */
function single(meta: OnnxMeta, role: OcrRole, input: TensorSpec, output: TensorSpec): { input: OnnxValueInfo; output: OnnxValueInfo } {
  const name = ROLE_NAME[role];
  if (meta.inputs.length !== 1 || meta.outputs.length !== 1) {
    throw invalid(`The ${name} must have one input and one output; found inputs (${signatureText(meta.inputs)}) → outputs (${signatureText(meta.outputs)}).`);
  }
  const [i, o] = [meta.inputs[0], meta.outputs[0]];
  const shape = (s: TensorSpec) => `[${s.shape.map((d, k) => (d > 0 ? d : "NCHW"[k] ?? "?")).join(", ")}]`;
  const wrongIn = mismatch(i, { ...input, name: i.name }) ?? (i.hasShape ? null : `${i.name} declares no shape`);
  if (wrongIn) throw invalid(`The ${name}'s input must be ${input.datatype}${shape(input)}; found ${describe(i)} (${wrongIn}).`);
  const wrongOut = mismatch(o, { ...output, name: o.name }) ?? (o.hasShape ? null : `${o.name} declares no shape`);
  if (wrongOut) throw invalid(`The ${name}'s output must be ${output.datatype} with ${output.shape.length} axes${output.shape.some((d) => d > 0) ? ` [${output.shape.map((d) => (d > 0 ? d : "·")).join(", ")}]` : ""}; found ${describe(o)} (${wrongOut}).`);
  return { input: i, output: o };
}

const FP32 = "FP32" as const;
const OCR_SHAPES: Readonly<Record<OcrRole, { input: TensorSpec; output: TensorSpec }>> = {
  det: { input: { name: "x", datatype: FP32, shape: [-1, 3, -1, -1] }, output: { name: "y", datatype: FP32, shape: [-1, 1, -1, -1] } },
  rec: { input: { name: "x", datatype: FP32, shape: [-1, 3, 48, -1] }, output: { name: "y", datatype: FP32, shape: [-1, -1, -1] } },
  cls: { input: { name: "x", datatype: FP32, shape: [-1, 3, 48, 192] }, output: { name: "y", datatype: FP32, shape: [-1, 2] } },
};

/** Number of symbols in a PP-OCR dictionary, counted as the CTC decoder does (ctc-decode.ts). */
export function dictionarySize(dict: string): number {
  if (dict.includes("\u0000") || dict.includes("\uFFFD")) throw invalid("The dictionary is not UTF-8 text (one symbol per line).");
  const size = charsetFromDictionary(dict).chars.length - 2; // less the CTC blank and the appended space
  if (size <= 0 || dict.trim() === "") throw invalid("The dictionary is empty: it needs one symbol per line.");
  return size;
}

/**
 * Checks a PP-OCR upload: detector [N,3,H,W] → [N,1,H,W]; recogniser [N,3,48,W] → [N,T,C] with C = dictionary
 * lines + 2 (CTC blank first, space last: ctc-decode.ts); classifier [N,3,48,192] → [N,2].
 */
export function checkOcrBundle({ det, rec, cls, dict }: { det: OnnxMeta; rec: OnnxMeta; cls?: OnnxMeta; dict: string }): { dictSize: number } {
  single(det, "det", OCR_SHAPES.det.input, OCR_SHAPES.det.output);
  const { output } = single(rec, "rec", OCR_SHAPES.rec.input, OCR_SHAPES.rec.output);
  if (cls) single(cls, "cls", OCR_SHAPES.cls.input, OCR_SHAPES.cls.output);
  const dictSize = dictionarySize(dict);
  const classes = output.dims[2];
  if (typeof classes !== "number" || classes <= 0) {
    throw invalid(`The recogniser's class axis (output ${output.name}, axis 2) must have a fixed size to be checked against the dictionary; it is dynamic.`);
  }
  if (classes !== dictSize + 2) {
    throw invalid(`The recogniser outputs ${classes} classes but the dictionary has ${dictSize} lines: expected ${dictSize + 2} classes (the lines, the CTC blank and the space).`);
  }
  return { dictSize };
}

function withNames(ref: WeightSpec, key: string, meta: OnnxMeta): WeightSpec {
  const [i, o] = [meta.inputs[0].name, meta.outputs[0].name];
  const [ri, ro] = [ref.inputs[0], ref.outputs[0]];
  const spec: WeightSpec = { key, inputs: [{ ...ri, name: i }], outputs: [{ ...ro, name: o }] };
  const classes = meta.outputs[0].dims[2];
  if (ro.shape.length === 3 && typeof classes === "number" && classes > 0) spec.outputs[0].shape = [...ro.shape.slice(0, 2), classes];
  if (ref.batching) spec.batching = { ...ref.batching, inputAxes: { [i]: 0 }, outputAxes: { [o]: 0 } };
  if (ref.arena) spec.arena = { ...ref.arena };
  return spec;
}

/**
 * Specs of a checked OCR bundle (checkOcrBundle first): the built-ins' batching for the recogniser and classifier
 * and the arena for the detector, under the uploads' keys and the files' own tensor names.
 */
export function ocrSpecs(keys: { det: string; rec: string; cls?: string }, metas: { det: OnnxMeta; rec: OnnxMeta; cls?: OnnxMeta }): { det: WeightSpec; rec: WeightSpec; cls?: WeightSpec } {
  const ref = (k: "ppocr-v4-det" | "ppocr-v4-rec" | "ppocr-mobile-v2-cls"): WeightSpec => {
    const s = WEIGHT_SPECS[k];
    if (!s) throw new Error(`no built-in spec for ${k}`);
    return s;
  };
  const specs: { det: WeightSpec; rec: WeightSpec; cls?: WeightSpec } = {
    det: withNames(ref("ppocr-v4-det"), keys.det, metas.det),
    rec: withNames(ref("ppocr-v4-rec"), keys.rec, metas.rec),
  };
  if (keys.cls && metas.cls) specs.cls = withNames(ref("ppocr-mobile-v2-cls"), keys.cls, metas.cls);
  return specs;
}
