/**
 * ONNX models tests write themselves (lib/models/onnx/build.ts does the writing): a small dense classifier whose
 * answer a test can compute in JS, and graphs with operators ONNX Runtime cannot run.
 */
import { buildModel } from "@/lib/models/onnx/build";

export interface DenseOptions {
  inputDim: number;
  outputDim: number;
  seed: number;
}

/** Deterministic weights in [-1, 1) (mulberry32), so a test rebuilds the model's parameters from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

/** W [inputDim, outputDim] then B [outputDim], drawn from the seed in that order. */
export function denseParameters({ inputDim, outputDim, seed }: DenseOptions): { W: Float32Array; B: Float32Array } {
  const next = random(seed);
  const W = Float32Array.from({ length: inputDim * outputDim }, next);
  const B = Float32Array.from({ length: outputDim }, next);
  return { W, B };
}

/** Y = Softmax(X · W + B) over the last axis; X is FP32 [N, inputDim] with the batch axis named "N". */
export function matmulAddSoftmax(opts: DenseOptions): Uint8Array {
  const { W, B } = denseParameters(opts);
  return buildModel({
    inputs: [{ name: "X", datatype: "FP32", dims: ["N", opts.inputDim] }],
    outputs: [{ name: "Y", datatype: "FP32", dims: ["N", opts.outputDim] }],
    initializers: [
      { name: "W", dims: [opts.inputDim, opts.outputDim], data: W },
      { name: "B", dims: [opts.outputDim], data: B },
    ],
    nodes: [
      { opType: "MatMul", inputs: ["X", "W"], outputs: ["XW"] },
      { opType: "Add", inputs: ["XW", "B"], outputs: ["Z"] },
      { opType: "Softmax", inputs: ["Z"], outputs: ["Y"], attributes: { axis: { i: -1 } } },
    ],
  });
}

/** What matmulAddSoftmax computes, in float64 JS, for `n` rows of X. */
export function matmulAddSoftmaxReference(opts: DenseOptions, x: Float32Array, n: number): Float64Array {
  const { W, B } = denseParameters(opts);
  const { inputDim: d, outputDim: k } = opts;
  const y = new Float64Array(n * k);
  for (let r = 0; r < n; r++) {
    const z = Array.from({ length: k }, (_, j) => {
      let s = B[j];
      for (let i = 0; i < d; i++) s += x[r * d + i] * W[i * k + j];
      return s;
    });
    const max = Math.max(...z);
    const e = z.map((v) => Math.exp(v - max));
    const sum = e.reduce((a, b) => a + b, 0);
    e.forEach((v, j) => (y[r * k + j] = v / sum));
  }
  return y;
}

/**
 * A model ONNX Runtime refuses to load for an operator it lacks: `NotARealOp` in the standard domain, or `FooBar`
 * in the custom domain "com.example" (whose kernels would come from a custom-op library, which Pareto never loads).
 */
export function unsupportedOpModel(domain: "" | "com.example" = ""): Uint8Array {
  const opType = domain ? "FooBar" : "NotARealOp";
  return buildModel({
    opsets: domain ? [{ domain: "", version: 17 }, { domain, version: 1 }] : [{ domain: "", version: 17 }],
    inputs: [{ name: "X", datatype: "FP32", dims: ["N", 4] }],
    outputs: [{ name: "Y", datatype: "FP32", dims: ["N", 4] }],
    nodes: [
      { opType: "Relu", inputs: ["X"], outputs: ["R"] },
      { opType, domain, inputs: ["R"], outputs: ["Y"] },
    ],
  });
}
