import * as ort from "onnxruntime-node";
import { beforeAll, describe, expect, it } from "vitest";
import { isDomainError } from "@/lib/models/errors";
import { inspectOnnx } from "@/lib/models/onnx/inspect";
import { featurizeBatch } from "@/lib/models/text/featurize";
import { parseTextSpec, TEXT_METADATA_KEY } from "@/lib/models/text/spec";
import { featurize } from "@/lib/models/text/featurize";
import { boundRows, trainTextClassifier, TrainingCancelled, WIDEST_SEARCHED, type TrainProgress, type TrainResult } from "@/lib/training/train";
import { smsLike } from "@/tests/support/sms-like";
import { syntheticLanguages } from "@/tests/support/synthetic-text";

const VERSION_SAFE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

/** Probabilities of a candidate's ONNX file through ONNX Runtime, as the serving path computes them. */
async function onnxProbabilities(onnx: Uint8Array, texts: string[]): Promise<{ probs: Float32Array; classes: number }> {
  const spec = parseTextSpec(inspectOnnx(onnx).metadata[TEXT_METADATA_KEY]);
  const batch = featurizeBatch(texts, spec.featurizer);
  const session = await ort.InferenceSession.create(onnx);
  try {
    const out = await session.run({
      indices: new ort.Tensor("int64", batch.indices, [texts.length, batch.width]),
      values: new ort.Tensor("float32", batch.values, [texts.length, batch.width]),
    });
    return { probs: out.probabilities.data as Float32Array, classes: spec.labels.length };
  } finally {
    await session.release();
  }
}

function argmax(p: Float32Array, from: number, n: number): number {
  let best = 0;
  for (let c = 1; c < n; c++) if (p[from + c] > p[from + best]) best = c;
  return best;
}

describe("trainTextClassifier on an SMS-spam-like dataset (4,500 messages, 13 % spam, 1 % label noise), default settings", () => {
  const data = smsLike({ n: 4500, seed: 7 });
  let result: TrainResult;
  const progress: (TrainProgress & { at: number })[] = [];
  let ms = 0;

  beforeAll(() => {
    const t0 = performance.now();
    result = trainTextClassifier(data, { budgetS: 120, objective: "balanced", seed: 1, onProgress: (p) => progress.push({ ...p, at: performance.now() }) });
    ms = performance.now() - t0;
    console.log(`sms-like: ${(ms / 1000).toFixed(1)} s`, result.candidates.map((c) => `${c.name} acc ${(c.metrics.accuracy * 100).toFixed(2)} % f1 ${c.metrics.macroF1.toFixed(3)} ${c.metrics.bytes} B`).join("; "));
  }, 600_000);

  it("reaches the accuracy linear models reach on such data (≥ 97.5 % on the hold-out) with every candidate near it", () => {
    const best = result.candidates.find((c) => c.name === result.best);
    expect(best?.metrics.accuracy).toBeGreaterThanOrEqual(0.975);
    expect(best?.metrics.macroF1).toBeGreaterThanOrEqual(0.94);
    for (const c of result.candidates) expect(c.metrics.accuracy).toBeGreaterThan(0.95);
    // The majority class alone would score ~87 %: the models learned something.
  });

  it("returns 1–5 frontier candidates, best first, with version-safe distinct names, specs and hyper-parameters", () => {
    expect(result.candidates.length).toBeGreaterThanOrEqual(1);
    expect(result.candidates.length).toBeLessThanOrEqual(5);
    expect(result.candidates[0].name).toBe(result.best);
    expect(new Set(result.candidates.map((c) => c.name)).size).toBe(result.candidates.length);
    expect(result.labels).toEqual(["ham", "spam"]);
    for (const c of result.candidates) {
      expect(c.name).toMatch(VERSION_SAFE);
      expect(c.spec.labels).toEqual(["ham", "spam"]);
      expect(c.spec.kind).toBe(c.kind);
      expect(c.metrics.bytes).toBe(c.onnx.byteLength);
      expect(c.hyper.buckets).toBe(c.spec.featurizer.buckets);
      expect(c.hyper.epochs).toBeGreaterThanOrEqual(1);
      expect(parseTextSpec(inspectOnnx(c.onnx).metadata[TEXT_METADATA_KEY])).toEqual(c.spec);
    }
    // No candidate is beaten on both accuracy and size by another (the frontier), unless only two are left.
    if (result.candidates.length > 2) {
      for (const a of result.candidates) {
        const dominated = result.candidates.some((b) => b !== a && b.metrics.accuracy >= a.metrics.accuracy && b.metrics.bytes < a.metrics.bytes);
        expect(dominated).toBe(false);
      }
    }
  });

  it("keeps a stratified hold-out of 20 % that ONNX Runtime scores exactly as the reported metrics", async () => {
    expect(result.holdout.length).toBe(900);
    const spamShare = result.holdout.filter((h) => h.label === "spam").length / result.holdout.length;
    const overall = data.labels.filter((l) => l === "spam").length / data.labels.length;
    expect(Math.abs(spamShare - overall)).toBeLessThan(0.005);
    for (const c of result.candidates) {
      const { probs, classes } = await onnxProbabilities(c.onnx, result.holdout.map((h) => h.text));
      const correct = result.holdout.filter((h, i) => result.labels[argmax(probs, i * classes, classes)] === h.label).length;
      expect(correct / result.holdout.length).toBeCloseTo(c.metrics.accuracy, 2);
    }
  });

  it("records a loss curve for each configuration it searched", () => {
    const searched = new Set(result.curve.map((c) => c.candidate));
    expect(searched.size).toBeGreaterThanOrEqual(6);
    for (const c of result.candidates) expect(searched.has(c.name)).toBe(true);
    for (const point of result.curve) {
      expect(point.epoch).toBeGreaterThanOrEqual(1);
      expect(Number.isFinite(point.trainLoss) && Number.isFinite(point.validLoss)).toBe(true);
    }
  });

  it("reports progress in phase order, never backwards, ending at 1, at most ~5 times a second", () => {
    const phases = progress.map((p) => p.phase);
    expect(phases[0]).toBe("features");
    expect(phases.lastIndexOf("search")).toBeLessThan(phases.indexOf("final"));
    for (let i = 1; i < progress.length; i++) expect(progress[i].fraction).toBeGreaterThanOrEqual(progress[i - 1].fraction);
    expect(progress.at(-1)?.fraction).toBe(1);
    // Forced reports (phase changes, each finalist) aside, one per 200 ms at most.
    const spanS = (progress.at(-1)!.at - progress[0].at) / 1000;
    expect(progress.length).toBeLessThanOrEqual(spanS * 5 + 10);
  });

  it("stops the search at the budget: a zero budget trains just the first configuration, a small one fewer than the full search", () => {
    const zero = trainTextClassifier(data, { budgetS: 0, objective: "balanced", seed: 1 });
    expect(zero.candidates.length).toBe(1);
    expect(zero.candidates[0].name).toBe(result.curve[0].candidate);
    expect(new Set(zero.curve.map((c) => c.candidate)).size).toBeLessThanOrEqual(1);
    const full = new Set(result.curve.map((c) => c.candidate)).size;
    const small = trainTextClassifier(data, { budgetS: (ms / 1000) * 0.15, objective: "balanced", seed: 1 });
    expect(new Set(small.curve.map((c) => c.candidate)).size).toBeLessThan(full);
    expect(small.candidates.length).toBeGreaterThanOrEqual(1);
  }, 300_000);
});

describe("trainTextClassifier determinism and objectives (small data: k-fold)", () => {
  const data = syntheticLanguages({ labels: 3, perLabel: 40, seed: 9 });
  const run = (seed: number, objective: "balanced" | "most_accurate" | "fastest" = "balanced") => trainTextClassifier(data, { budgetS: 600, objective, seed });

  it("gives identical model bytes for the same seed and different ones for another seed", () => {
    const a = run(1);
    const b = run(1);
    const c = run(2);
    expect(b.candidates.map((x) => x.name)).toEqual(a.candidates.map((x) => x.name));
    a.candidates.forEach((x, i) => expect(Buffer.from(b.candidates[i].onnx).equals(Buffer.from(x.onnx))).toBe(true));
    expect(b.holdout).toEqual(a.holdout);
    expect(b.curve).toEqual(a.curve);
    const same = c.candidates.find((x) => x.name === a.candidates[0].name);
    expect(same === undefined || !Buffer.from(same.onnx).equals(Buffer.from(a.candidates[0].onnx))).toBe(true);
    expect(c.holdout).not.toEqual(a.holdout);
    // The hold-out is never among the rows of… nothing: it is a subset of the data with its own labels.
    for (const h of a.holdout) expect(data.labels[data.texts.indexOf(h.text)]).toBe(h.label);
  }, 600_000);

  it("orders candidates by the objective: most_accurate puts the most accurate first, fastest the fewest parameters within a point", () => {
    const acc = run(1, "most_accurate");
    const top = Math.max(...acc.candidates.map((c) => c.metrics.accuracy));
    expect(acc.candidates[0].metrics.accuracy).toBe(top);
    const fast = run(1, "fastest");
    const near = fast.candidates.filter((c) => c.metrics.accuracy >= top - 0.01);
    expect(fast.candidates[0].metrics.params).toBe(Math.min(...near.map((c) => c.metrics.params)));
  }, 600_000);
});

describe("trainTextClassifier cancellation", () => {
  const data = syntheticLanguages({ labels: 3, perLabel: 40, seed: 9 });

  it("throws TrainingCancelled (code cancelled) once shouldStop says so, polled between mini-batches", () => {
    let polls = 0;
    let caught: unknown;
    try {
      trainTextClassifier(data, { budgetS: 600, objective: "balanced", seed: 1, shouldStop: () => ++polls > 25 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(TrainingCancelled);
    expect((caught as TrainingCancelled).code).toBe("cancelled");
    expect(polls).toBe(26); // stopped at the first poll that said so
  });

  it("throws before any training when already cancelled", () => {
    expect(() => trainTextClassifier(data, { budgetS: 600, objective: "balanced", seed: 1, shouldStop: () => true })).toThrow(TrainingCancelled);
  });
});

describe("trainTextClassifier refuses unusable data with dataset_invalid", () => {
  it.each([
    ["one label", { texts: ["a", "b", "c"], labels: ["x", "x", "x"] }, /at least two labels/],
    ["no rows", { texts: [], labels: [] }, /at least two labels/],
    ["a label with one row", { texts: ["a", "b", "c", "d"], labels: ["x", "x", "x", "lonely"] }, /"lonely"/],
    ["lengths differ", { texts: ["a", "b"], labels: ["x"] }, /2 texts but 1 labels/],
    ["an empty label", { texts: ["a", "b", "c"], labels: ["x", "", "x"] }, /non-empty/],
  ])("%s", (_, data, message) => {
    let caught: unknown;
    try {
      trainTextClassifier(data, { budgetS: 5, objective: "balanced", seed: 1 });
    } catch (e) {
      caught = e;
    }
    expect(isDomainError(caught) && caught.code).toBe("dataset_invalid");
    expect((caught as Error).message).toMatch(message);
  });

  it("trains on rows whose text is empty (they carry no features; the label prior still counts)", () => {
    const data = syntheticLanguages({ labels: 2, perLabel: 20, seed: 4 });
    const res = trainTextClassifier({ texts: [...data.texts, "", ""], labels: [...data.labels, "lang00", "lang01"] }, { budgetS: 0, objective: "balanced", seed: 1 });
    expect(res.candidates.length).toBe(1);
  });
});

describe("boundRows: a huge training part is sampled down to what memory affords", () => {
  const data = smsLike({ n: 3000, seed: 2 });
  const y = Int32Array.from(data.labels, (l) => (l === "spam" ? 1 : 0));
  const rows = Int32Array.from(y.keys());
  const perRow = featurize(data.texts[0], WIDEST_SEARCHED).indices.length;

  it("keeps every row when they fit", () => {
    expect(boundRows(rows, data.texts, y, 2, 1)).toBe(rows);
  });

  it("keeps a stratified sample sized to the budget of feature values when they do not", () => {
    const kept = boundRows(rows, data.texts, y, 2, 1, WIDEST_SEARCHED, 300 * perRow);
    expect(kept.length).toBeGreaterThan(150);
    expect(kept.length).toBeLessThan(600);
    const share = (part: Int32Array) => Array.from(part).filter((r) => y[r] === 1).length / part.length;
    expect(Math.abs(share(kept) - share(rows))).toBeLessThan(0.02);
    expect(new Set(kept).size).toBe(kept.length);
  });
});
