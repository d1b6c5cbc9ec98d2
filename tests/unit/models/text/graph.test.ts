import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { inspectOnnx } from "@/lib/models/onnx/inspect";
import { featurizeBatch, type FeaturizerConfig } from "@/lib/models/text/featurize";
import { buildTextModel, type TextWeights } from "@/lib/models/text/graph";
import { parseTextSpec, TEXT_METADATA_KEY, type TextModelSpec } from "@/lib/models/text/spec";

const featurizer: FeaturizerConfig = { buckets: 2 ** 12, char: [1, 3], word: [1, 2], maxFeatures: 512 };
const labels = ["ar", "en", "zh"];
const texts = ["hello world", "مرحبا بالعالم", "你好，世界", "", "a somewhat longer sentence in english, with punctuation!"];

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

const rand = (n: number, next: () => number) => Float32Array.from({ length: n }, next);

function linear(seed: number): TextWeights {
  const next = rng(seed);
  return { kind: "linear", W: rand(featurizer.buckets * labels.length, next), b: rand(labels.length, next) };
}

function mlp(seed: number, H: number): TextWeights {
  const next = rng(seed);
  const C = labels.length;
  return { kind: "mlp", hidden: H, W1: rand(featurizer.buckets * H, next), b1: rand(H, next), W2: rand(H * C, next), b2: rand(C, next) };
}

/** The graph's function in float64: softmax of the weighted sum of embedding rows (through a hidden ReLU for mlp). */
function reference(w: TextWeights, indices: BigInt64Array, values: Float32Array, n: number, width: number): number[][] {
  const C = labels.length;
  const rows: number[][] = [];
  for (let r = 0; r < n; r++) {
    const D = w.kind === "linear" ? C : w.hidden;
    const table = w.kind === "linear" ? w.W : w.W1;
    const sum = Array.from({ length: D }, (_, d) => (w.kind === "linear" ? w.b[d] : w.b1[d]));
    for (let l = 0; l < width; l++) {
      const id = Number(indices[r * width + l]);
      for (let d = 0; d < D; d++) sum[d] += values[r * width + l] * table[id * D + d];
    }
    let logits = sum;
    if (w.kind === "mlp") {
      const h = sum.map((x) => Math.max(0, x));
      logits = Array.from({ length: C }, (_, c) => w.b2[c] + h.reduce((s, x, j) => s + x * w.W2[j * C + c], 0));
    }
    const m = Math.max(...logits);
    const e = logits.map((z) => Math.exp(z - m));
    const s = e.reduce((a, b) => a + b, 0);
    rows.push(e.map((x) => x / s));
  }
  return rows;
}

async function run(bytes: Uint8Array, batch: { indices: BigInt64Array; values: Float32Array; width: number }, n: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const out = await session.run({
      indices: new ort.Tensor("int64", batch.indices, [n, batch.width]),
      values: new ort.Tensor("float32", batch.values, [n, batch.width]),
    });
    expect(out.probabilities.dims).toEqual([n, labels.length]);
    return out.probabilities.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe.each([
  ["linear", linear(7)],
  ["mlp", mlp(8, 16)],
] as const)("buildTextModel (%s)", (kind, weights) => {
  const spec: TextModelSpec = { labels, featurizer, kind };
  const bytes = buildTextModel(spec, weights);

  it("declares indices INT64 [N, L], values FP32 [N, L] → probabilities FP32 [N, C], opset 17, and carries its spec", () => {
    const meta = inspectOnnx(bytes);
    expect(meta.defaultOpset).toBe(17);
    expect(meta.inputs).toEqual([
      { name: "indices", datatype: "INT64", dims: ["N", "L"], hasShape: true },
      { name: "values", datatype: "FP32", dims: ["N", "L"], hasShape: true },
    ]);
    expect(meta.outputs).toEqual([{ name: "probabilities", datatype: "FP32", dims: ["N", 3], hasShape: true }]);
    expect(parseTextSpec(meta.metadata[TEXT_METADATA_KEY])).toEqual(spec);
    expect(meta.ops).toEqual(kind === "linear" ? ["Add", "Gather", "MatMul", "Softmax", "Squeeze", "Unsqueeze"] : ["Add", "Gather", "MatMul", "Relu", "Softmax", "Squeeze", "Unsqueeze"]);
  });

  it("runs in ONNX Runtime and equals the float64 reference within 1e-5 (padding included, empty text included)", async () => {
    const batch = featurizeBatch(texts, featurizer);
    const got = await run(bytes, batch, texts.length);
    const want = reference(weights, batch.indices, batch.values, texts.length, batch.width);
    want.flat().forEach((p, i) => expect(Math.abs(got[i] - p)).toBeLessThan(1e-5));
    // One text alone (no padding) gives the same probabilities as inside the padded batch.
    const alone = await run(bytes, featurizeBatch([texts[1]], featurizer), 1);
    Array.from(alone).forEach((p, c) => expect(Math.abs(p - got[labels.length + c])).toBeLessThan(1e-6));
  });

  it("refuses weights that do not fit the spec", () => {
    expect(() => buildTextModel({ ...spec, labels: ["a", "b"] }, weights)).toThrow(/do not match/);
    expect(() => buildTextModel({ ...spec, kind: kind === "linear" ? "mlp" : "linear" }, weights)).toThrow(/kind/);
  });
});
