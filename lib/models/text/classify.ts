/**
 * The text-classification pipeline, run inside inference workers: texts → hashed n-gram features (the same
 * featurizer the trainer used, from the model's own spec) → the ONNX graph → the top labels per text. The request's
 * texts travel to the worker as one UTF-8 JSON buffer (moved, not copied), so featurizing never runs on the
 * server's event loop.
 */
import { InputError, type InferenceContext, type Tensor } from "../tensor";
import { featurizeBatch } from "./featurize";
import type { TextModelSpec } from "./spec";

export { textGraphSpec } from "../catalog";

export const MAX_TEXTS = 256;
export const MAX_TEXT_CHARS = 10_000;
export const MAX_TOP_K = 20;

export interface TextModel {
  key: string;
  spec: TextModelSpec;
}

export interface ClassifyOptions {
  topK?: number;
}

export interface LabelScore {
  label: string;
  score: number;
}

export interface ClassifyItem {
  label: string;
  score: number;
  labels: LabelScore[];
}

export interface ClassifyResult {
  items: ClassifyItem[];
  /** Characters classified: what the quota reserves by. */
  chars: number;
}

/** The texts a request carries, as the edge encodes them for the worker. */
export function encodeTexts(texts: readonly string[]): Buffer {
  return Buffer.from(JSON.stringify(texts), "utf8");
}

/** The edge validated the texts already; a worker still refuses what is not a list of strings (a server fault). */
export function decodeTexts(input: Buffer): string[] {
  const v: unknown = JSON.parse(input.toString("utf8"));
  if (!Array.isArray(v) || v.length === 0 || v.length > MAX_TEXTS || !v.every((t) => typeof t === "string")) {
    throw new InputError("invalid_option", `input must be 1 to ${MAX_TEXTS} strings`, "input");
  }
  return v as string[];
}

/** Rows of the graph's `probabilities` output → the `topK` best labels of each, best first. */
export function topLabels(probs: Float32Array, rows: number, labels: readonly string[], topK: number): ClassifyItem[] {
  const c = labels.length;
  if (probs.length !== rows * c) throw new Error(`the model gave ${probs.length} probabilities for ${rows} texts × ${c} labels`);
  const k = Math.max(1, Math.min(topK, c));
  const out: ClassifyItem[] = [];
  for (let r = 0; r < rows; r++) {
    const order = Array.from({ length: c }, (_, j) => j).sort((a, b) => probs[r * c + b] - probs[r * c + a] || a - b);
    const best = order.slice(0, k).map((j) => ({ label: labels[j], score: probs[r * c + j] }));
    out.push({ label: best[0].label, score: best[0].score, labels: best });
  }
  return out;
}

/**
 * Feature rows padded to a power of two (at least 32): calls merge into one run only when their widths agree, and a
 * padding slot (bucket 0, weight 0) adds nothing to the sums.
 */
function padRows(indices: BigInt64Array, values: Float32Array, rows: number, width: number): { indices: BigInt64Array; values: Float32Array; width: number } {
  let w = 32;
  while (w < width) w *= 2;
  if (w === width) return { indices, values, width };
  const pi = new BigInt64Array(rows * w);
  const pv = new Float32Array(rows * w);
  for (let r = 0; r < rows; r++) {
    pi.set(indices.subarray(r * width, (r + 1) * width), r * w);
    pv.set(values.subarray(r * width, (r + 1) * width), r * w);
  }
  return { indices: pi, values: pv, width: w };
}

export async function runClassify(input: Buffer, model: TextModel, options: ClassifyOptions, ctx: InferenceContext): Promise<ClassifyResult> {
  const texts = decodeTexts(input);
  const f = featurizeBatch(texts, model.spec.featurizer);
  const { indices, values, width } = padRows(f.indices, f.values, texts.length, f.width);
  const dims = [texts.length, width];
  const feeds: Record<string, Tensor> = { indices: { type: "int64", data: indices, dims }, values: { type: "float32", data: values, dims } };
  const out = await ctx.run(model.key, feeds);
  const probs = out.probabilities;
  if (!probs || probs.type !== "float32") throw new Error(`model ${model.key} gave no float32 "probabilities" output`);
  let chars = 0;
  for (const t of texts) chars += t.length;
  return { items: topLabels(probs.data as Float32Array, texts.length, model.spec.labels, options.topK ?? 1), chars };
}
