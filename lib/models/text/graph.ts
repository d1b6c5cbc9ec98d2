/**
 * The ONNX graph of a text classifier over hashed features (featurize.ts). Inputs `indices` INT64 [N, L] and
 * `values` FP32 [N, L] are a batch of sparse feature vectors padded with (0, 0.0); output `probabilities` FP32 [N, C].
 *
 * The weighted sum of embedding rows, Σ_l values[n,l] · W[indices[n,l]], is Gather → [N, L, D] followed by a batched
 * MatMul of Unsqueeze(values) [N, 1, L] with it → [N, 1, D] → Squeeze. That is the same sum as Mul + ReduceSum over L,
 * without materialising a second [N, L, D] product tensor. Padding adds 0 · W[0] = 0.
 *   linear: softmax(sum(W) + b)                     W [buckets, C]
 *   mlp:    softmax(relu(sum(W1) + b1) · W2 + b2)   W1 [buckets, H], W2 [H, C]
 * The spec (labels, featurizer, kind) rides along as metadata `pareto.text`, so the file alone is enough to serve it.
 */
import { buildModel, type InitializerDecl, type NodeDecl } from "@/lib/models/onnx/build";
import { TEXT_METADATA_KEY, type TextModelSpec } from "./spec";

export interface LinearWeights {
  kind: "linear";
  /** [buckets, C] row-major. */
  W: Float32Array;
  /** [C]. */
  b: Float32Array;
}

export interface MlpWeights {
  kind: "mlp";
  hidden: number;
  /** [buckets, H] row-major. */
  W1: Float32Array;
  /** [H]. */
  b1: Float32Array;
  /** [H, C] row-major. */
  W2: Float32Array;
  /** [C]. */
  b2: Float32Array;
}

export type TextWeights = LinearWeights | MlpWeights;

export const TEXT_INPUTS = { indices: "indices", values: "values" } as const;
export const TEXT_OUTPUT = "probabilities";

const AXIS_1 = { name: "axis_1", dims: [1], data: BigInt64Array.of(1n) } satisfies InitializerDecl;

/** Gather + weighted sum over L: nodes producing `${out}` [N, D] from table `table`. */
function weightedSum(table: string, out: string): NodeDecl[] {
  return [
    { opType: "Gather", inputs: [table, TEXT_INPUTS.indices], outputs: [`${out}_rows`], attributes: { axis: { i: 0 } } },
    { opType: "Unsqueeze", inputs: [TEXT_INPUTS.values, AXIS_1.name], outputs: [`${out}_weights`] },
    { opType: "MatMul", inputs: [`${out}_weights`, `${out}_rows`], outputs: [`${out}_sum3`] },
    { opType: "Squeeze", inputs: [`${out}_sum3`, AXIS_1.name], outputs: [out] },
  ];
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new Error(`text model: ${message}`);
}

/** Serialises a trained text classifier; throws (a programming error) when the weights do not fit the spec. */
export function buildTextModel(spec: TextModelSpec, w: TextWeights): Uint8Array {
  const C = spec.labels.length;
  const B = spec.featurizer.buckets;
  check(spec.kind === w.kind, `spec kind ${spec.kind} but ${w.kind} weights`);
  let initializers: InitializerDecl[];
  let nodes: NodeDecl[];
  if (w.kind === "linear") {
    check(w.W.length === B * C && w.b.length === C, "linear weights do not match buckets × labels");
    initializers = [
      { name: "W", dims: [B, C], data: w.W },
      { name: "b", dims: [C], data: w.b },
    ];
    nodes = [...weightedSum("W", "sum"), { opType: "Add", inputs: ["sum", "b"], outputs: ["logits"] }];
  } else {
    const H = w.hidden;
    check(w.W1.length === B * H && w.b1.length === H && w.W2.length === H * C && w.b2.length === C, "mlp weights do not match buckets × hidden × labels");
    initializers = [
      { name: "W1", dims: [B, H], data: w.W1 },
      { name: "b1", dims: [H], data: w.b1 },
      { name: "W2", dims: [H, C], data: w.W2 },
      { name: "b2", dims: [C], data: w.b2 },
    ];
    nodes = [
      ...weightedSum("W1", "sum"),
      { opType: "Add", inputs: ["sum", "b1"], outputs: ["pre"] },
      { opType: "Relu", inputs: ["pre"], outputs: ["hidden"] },
      { opType: "MatMul", inputs: ["hidden", "W2"], outputs: ["out"] },
      { opType: "Add", inputs: ["out", "b2"], outputs: ["logits"] },
    ];
  }
  return buildModel({
    inputs: [
      { name: TEXT_INPUTS.indices, datatype: "INT64", dims: ["N", "L"] },
      { name: TEXT_INPUTS.values, datatype: "FP32", dims: ["N", "L"] },
    ],
    outputs: [{ name: TEXT_OUTPUT, datatype: "FP32", dims: ["N", C] }],
    initializers: [...initializers, AXIS_1],
    nodes: [...nodes, { opType: "Softmax", inputs: ["logits"], outputs: [TEXT_OUTPUT], attributes: { axis: { i: -1 } } }],
    graphName: `text_${spec.kind}`,
    docString: `Text classifier (${spec.kind}) over hashed n-gram features; labels and featurizer in metadata ${TEXT_METADATA_KEY}.`,
    metadata: { [TEXT_METADATA_KEY]: JSON.stringify(spec) },
  });
}
