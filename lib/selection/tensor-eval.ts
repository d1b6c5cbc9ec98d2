import "server-only";
/**
 * Inputs and scoring for measuring an uploaded `tensor` model. With a labelled eval file (JSONL given at upload, one
 * `{"inputs": {<input name>: nested number array}, "label": …}` per line) the model is scored by its metric:
 * `accuracy` = share of items whose first output's argmax equals the integer label; `mae` = mean absolute error
 * between the first output and the numeric array label, averaged over every element of every item. Without one, the
 * latency steps run on random inputs shaped from the signature (dynamic axes = 1) and there is no accuracy figure.
 */
import fs from "node:fs";
import type { TensorSpec, WeightSpec } from "@/lib/models/catalog";
import type { Feeds, Outputs, Tensor } from "@/lib/models/tensor";
import type { ScoredMetric } from "./scoring";

export type TensorMetric = "accuracy" | "mae";

export interface TensorEvalSource {
  /** Where the JSONL file is on this instance. */
  path: string;
  sha256: string;
  metric: TensorMetric;
}

export interface TensorEvalItem {
  feeds: Feeds;
  label: unknown;
}

export interface TensorInputs {
  /** Stored in the figures' conditions: `eval:<first 12 hex of the file's hash>` or `random`. */
  name: string;
  items: TensorEvalItem[];
  total: number;
  metric: TensorMetric | null;
}

/** A nested number array → flat values and its dims (every row of a level must have the same length). */
function flatten(v: unknown, where: string): { values: number[]; dims: number[] } {
  if (typeof v === "number") return { values: [v], dims: [] };
  if (!Array.isArray(v)) throw new Error(`${where}: expected a number or a nested array of numbers`);
  const parts = v.map((x, i) => flatten(x, `${where}[${i}]`));
  const inner = parts[0]?.dims ?? [];
  if (parts.some((p) => p.dims.join() !== inner.join())) throw new Error(`${where}: rows of different lengths`);
  return { values: parts.flatMap((p) => p.values), dims: [v.length, ...inner] };
}

/** The tensor types the runtime carries (lib/models/tensor.ts); other datatypes cannot be fed from here. */
function tensorOf(spec: TensorSpec, values: number[], dims: number[]): Tensor {
  switch (spec.datatype) {
    case "FP32":
      return { type: "float32", data: Float32Array.from(values), dims };
    case "INT64":
      return { type: "int64", data: BigInt64Array.from(values, (x) => BigInt(Math.trunc(x))), dims };
    case "INT32":
      return { type: "int32", data: Int32Array.from(values), dims };
    case "UINT8":
      return { type: "uint8", data: Uint8Array.from(values), dims };
    case "BOOL":
      return { type: "bool", data: Uint8Array.from(values, (x) => (x ? 1 : 0)), dims };
    default:
      throw new Error(`input "${spec.name}" is ${spec.datatype}: measurement feeds FP32, INT64, INT32, UINT8 and BOOL inputs only`);
  }
}

/** Random inputs for the signature: dynamic axes are 1, floats uniform in [0, 1), integers 0. */
export function randomFeeds(spec: WeightSpec): Feeds {
  const feeds: Feeds = {};
  for (const input of spec.inputs) {
    const dims = input.shape.map((d) => (d < 0 ? 1 : d));
    const n = dims.reduce((a, b) => a * b, 1);
    feeds[input.name] = tensorOf(input, Array.from({ length: n }, () => (input.datatype === "FP32" ? Math.random() : 0)), dims);
  }
  return feeds;
}

/** The first `limit` items of the eval file as feeds (every line must name every input of the signature). */
export function readTensorEval(source: TensorEvalSource, spec: WeightSpec, limit?: number): TensorInputs {
  const lines = fs
    .readFileSync(source.path, "utf8")
    .split("\n")
    .filter((l) => l.trim());
  const items = lines.slice(0, limit ?? lines.length).map((line, i): TensorEvalItem => {
    const row = JSON.parse(line) as { inputs?: Record<string, unknown>; label?: unknown };
    const feeds: Feeds = {};
    for (const input of spec.inputs) {
      const given = row.inputs?.[input.name];
      if (given === undefined) throw new Error(`eval line ${i + 1}: no input "${input.name}"`);
      const { values, dims } = flatten(given, `eval line ${i + 1} ${input.name}`);
      feeds[input.name] = tensorOf(input, values, dims);
    }
    return { feeds, label: row.label };
  });
  return { name: `eval:${source.sha256.slice(0, 12)}`, items, total: lines.length, metric: source.metric };
}

export function randomInputs(spec: WeightSpec, count = 4): TensorInputs {
  return { name: "random", items: Array.from({ length: count }, () => ({ feeds: randomFeeds(spec), label: null })), total: count, metric: null };
}

function argmax(data: ArrayLike<number | bigint>): number {
  let best = 0;
  for (let i = 1; i < data.length; i++) if (Number(data[i]) > Number(data[best])) best = i;
  return best;
}

/** Scores the first output of each item (`firstOutput`: its name in the signature). */
export function scoreTensor(metric: TensorMetric, items: readonly TensorEvalItem[], outputs: readonly Outputs[], firstOutput: string): ScoredMetric[] {
  const out = (i: number) => {
    const t = outputs[i]?.[firstOutput];
    if (!t) throw new Error(`the model gave no output "${firstOutput}"`);
    return t.data;
  };
  if (metric === "accuracy") {
    const right = items.filter((it, i) => argmax(out(i)) === Number(it.label)).length;
    return [{ metric: "accuracy", value: items.length ? right / items.length : 0, unit: "argmax" }];
  }
  let sum = 0;
  let n = 0;
  items.forEach((it, i) => {
    const label = flatten(it.label, `label of eval line ${i + 1}`).values;
    const got = out(i);
    if (got.length !== label.length) throw new Error(`eval line ${i + 1}: label has ${label.length} values, the output ${got.length}`);
    label.forEach((v, k) => {
      sum += Math.abs(Number(got[k]) - v);
      n++;
    });
  });
  return [{ metric: "mae", value: n ? sum / n : 0, unit: "abs" }];
}
