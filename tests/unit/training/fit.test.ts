import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { featurize, featurizeBatch, type FeaturizerConfig } from "@/lib/models/text/featurize";
import { buildTextModel } from "@/lib/models/text/graph";
import { fit, type FitOptions } from "@/lib/training/fit";
import { predictProba, toTextWeights, type NetShape } from "@/lib/training/net";
import { featurizeAll } from "@/lib/training/sparse";
import { syntheticLanguages } from "@/tests/support/synthetic-text";

const featurizer: FeaturizerConfig = { buckets: 2 ** 14, char: [1, 3], word: [1, 1], maxFeatures: 1024 };
const corpus = syntheticLanguages({ labels: 4, perLabel: 60, seed: 3 });
const data = featurizeAll(corpus.texts, featurizer);
const y = Int32Array.from(corpus.labels, (l) => Number(l.slice(4)));
const rows = Int32Array.from({ length: data.n }, (_, i) => i);

const shapes: Record<"linear" | "mlp", NetShape> = {
  linear: { kind: "linear", buckets: featurizer.buckets, classes: 4, hidden: 0 },
  mlp: { kind: "mlp", buckets: featurizer.buckets, classes: 4, hidden: 16 },
};

function options(patch: Partial<FitOptions> = {}): FitOptions {
  return { maxEpochs: 6, scheduleEpochs: 6, batchSize: 16, lr: 0.02, l2: 0, seed: 5, valid: null, patience: 0, keepBest: false, deadline: Infinity, ...patch };
}

const sumSquares = (v: Float32Array | Float64Array) => Array.from(v).reduce((s, x) => s + x * x, 0);

describe.each(["linear", "mlp"] as const)("fit (%s)", (kind) => {
  const shape = shapes[kind];

  it("lowers the training loss epoch by epoch and fits the data", () => {
    const res = fit(shape, data, y, rows, options());
    const losses = res.history.map((h) => h.trainLoss);
    expect(losses.length).toBe(6);
    expect(losses[0]).toBeLessThan(Math.log(4) * 1.05); // starts near chance (log C) …
    expect(losses[5]).toBeLessThan(losses[0] / 3); // … and falls a lot
    for (let e = 1; e < losses.length; e++) expect(losses[e]).toBeLessThan(losses[e - 1] * 1.05);
    const probs = predictProba(shape, res.params, data, rows);
    const correct = Array.from(rows).filter((r, i) => probs.subarray(i * 4, i * 4 + 4).indexOf(Math.max(...probs.subarray(i * 4, i * 4 + 4))) === y[r]).length;
    expect(correct / rows.length).toBeGreaterThan(0.97);
  });

  it("shrinks the weights under L2", () => {
    const free = fit(shape, data, y, rows, options({ l2: 0 }));
    const tied = fit(shape, data, y, rows, options({ l2: 0.05 }));
    expect(sumSquares(tied.params.E)).toBeLessThan(sumSquares(free.params.E) * 0.7);
    if (kind === "mlp") expect(sumSquares(tied.params.W2)).toBeLessThan(sumSquares(free.params.W2));
  });

  it("is deterministic for a seed and differs for another seed", () => {
    const a = fit(shape, data, y, rows, options({ maxEpochs: 2 }));
    const b = fit(shape, data, y, rows, options({ maxEpochs: 2 }));
    const c = fit(shape, data, y, rows, options({ maxEpochs: 2, seed: 6 }));
    expect(Buffer.from(b.params.E.buffer).equals(Buffer.from(a.params.E.buffer))).toBe(true);
    expect(Buffer.from(c.params.E.buffer).equals(Buffer.from(a.params.E.buffer))).toBe(false);
  });

  it("stops early when the validation loss stops improving, keeping the best epoch's parameters", () => {
    // A third of the labels scrambled: memorising them soon makes the validation loss worse.
    const noisy = y.map((c, r) => (r % 3 === 0 ? (c + 1 + (r % 2)) % 4 : c));
    const valid = rows.filter((r) => r % 5 === 0);
    const train = rows.filter((r) => r % 5 !== 0);
    const res = fit(shape, data, noisy, train, options({ maxEpochs: 60, scheduleEpochs: 60, valid, patience: 2, keepBest: true }));
    expect(res.epochs).toBeLessThan(60);
    expect(res.epochs - res.bestEpoch).toBe(2);
    const best = Math.min(...res.history.map((h) => h.validLoss as number));
    expect(res.best?.loss).toBe(best);
    // The returned parameters are the best epoch's: their validation loss is the best one.
    const probs = predictProba(shape, res.params, data, valid);
    const loss = -Array.from(valid).reduce((s, r, i) => s + Math.log(probs[i * 4 + noisy[r]]), 0) / valid.length;
    expect(loss).toBeCloseTo(best, 10);
  });

  it("exports an ONNX graph whose output equals the trainer's forward pass within 1e-5", async () => {
    const res = fit(shape, data, y, rows, options({ maxEpochs: 3 }));
    const spec = { labels: ["lang00", "lang01", "lang02", "lang03"], featurizer, kind };
    const bytes = buildTextModel(spec, toTextWeights(shape, res.params));
    const texts = [...corpus.texts.slice(0, 40), "", "zzz qqq"];
    const batch = featurizeBatch(texts, featurizer);
    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({
      indices: new ort.Tensor("int64", batch.indices, [texts.length, batch.width]),
      values: new ort.Tensor("float32", batch.values, [texts.length, batch.width]),
    });
    await session.release();
    const got = out.probabilities.data as Float32Array;
    const own = featurizeAll(texts, featurizer);
    const want = predictProba(shape, res.params, own, Int32Array.from(texts.keys()));
    expect(got.length).toBe(want.length);
    let worst = 0;
    want.forEach((p, i) => (worst = Math.max(worst, Math.abs(p - got[i]))));
    expect(worst).toBeLessThan(1e-5);
  });
});

describe("featurizeAll", () => {
  it("holds each text's features, also when its size estimate falls short (buffers grow)", () => {
    // 300 one-word texts, then 10 long ones: the evenly spread sample mostly sees the short ones.
    const texts = [...Array.from({ length: 300 }, (_, i) => `w${i}`), ...Array.from({ length: 10 }, (_, i) => `a long text number ${i} `.repeat(60))];
    const rows = featurizeAll(texts, featurizer);
    expect(rows.n).toBe(texts.length);
    texts.forEach((t, i) => {
      const f = featurize(t, featurizer);
      expect(Array.from(rows.indices.subarray(rows.indptr[i], rows.indptr[i + 1]))).toEqual(Array.from(f.indices));
      expect(Array.from(rows.values.subarray(rows.indptr[i], rows.indptr[i + 1]))).toEqual(Array.from(f.values));
    });
  });
});
