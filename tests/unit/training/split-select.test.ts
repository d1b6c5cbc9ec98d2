import { describe, expect, it } from "vitest";
import { linear, MAX_TABLE, mlp, stage1, stage2, stage3, stage4, BASE_FEATURES } from "@/lib/training/configs";
import { score } from "@/lib/training/metrics";
import { deriveSeed, mulberry32 } from "@/lib/training/random";
import { learningRate } from "@/lib/training/schedule";
import { frontier, rankByObjective, type Measured } from "@/lib/training/select";
import { stratifiedFolds, stratifiedHoldout } from "@/lib/training/split";

// 3 labels: 100, 30 and 3 rows.
const y = Int32Array.from([...Array(100).fill(0), ...Array(30).fill(1), ...Array(3).fill(2)]);
const rows = Int32Array.from(y.keys());
const countOf = (part: Int32Array, c: number) => Array.from(part).filter((r) => y[r] === c).length;

describe("stratified splits", () => {
  it("holds out each label's share (at least one row of each, never all), disjoint from training, covering every row", () => {
    const { train, holdout } = stratifiedHoldout(rows, y, 3, 0.2, mulberry32(1));
    expect([countOf(holdout, 0), countOf(holdout, 1), countOf(holdout, 2)]).toEqual([20, 6, 1]);
    expect(new Set([...train, ...holdout]).size).toBe(rows.length);
    expect(train.length + holdout.length).toBe(rows.length);
    expect(Array.from(train)).toEqual(Array.from(train).sort((a, b) => a - b));
  });

  it("caps the hold-out proportionally", () => {
    const { holdout } = stratifiedHoldout(rows, y, 3, 0.2, mulberry32(1), 13);
    expect(countOf(holdout, 0)).toBe(10);
    expect(countOf(holdout, 1)).toBe(3);
    expect(countOf(holdout, 2)).toBe(1);
  });

  it("is deterministic for a seed and differs across seeds", () => {
    const a = stratifiedHoldout(rows, y, 3, 0.2, mulberry32(1)).holdout;
    expect(Array.from(stratifiedHoldout(rows, y, 3, 0.2, mulberry32(1)).holdout)).toEqual(Array.from(a));
    expect(Array.from(stratifiedHoldout(rows, y, 3, 0.2, mulberry32(2)).holdout)).not.toEqual(Array.from(a));
  });

  it("k folds partition the rows; each fold validates on ~1/k of every label", () => {
    const folds = stratifiedFolds(rows, y, 3, 5, mulberry32(3));
    const valid = folds.flatMap((f) => Array.from(f.valid));
    expect(valid.sort((a, b) => a - b)).toEqual(Array.from(rows));
    for (const f of folds) {
      expect(countOf(f.valid, 0)).toBe(20);
      expect(countOf(f.valid, 1)).toBe(6);
      expect(f.train.length + f.valid.length).toBe(rows.length);
      expect(Array.from(f.train).some((r) => f.valid.includes(r))).toBe(false);
    }
  });
});

describe("seeds", () => {
  it("derives distinct, stable sub-seeds", () => {
    expect(deriveSeed(1, 2, 3)).toBe(deriveSeed(1, 2, 3));
    expect(new Set([deriveSeed(1, 0), deriveSeed(1, 1), deriveSeed(2, 0), deriveSeed(1, 0, 0)]).size).toBe(4);
  });
});

describe("metrics", () => {
  it("accuracy, macro-F1 (each label counts the same) and log loss", () => {
    const truth = Int32Array.of(0, 0, 0, 1);
    // Predicts 0 for everything: accuracy 3/4, F1(0) = 2·3/(4+3) = 6/7, F1(1) = 0 → macro 3/7.
    const probs = Float64Array.of(0.9, 0.1, 0.8, 0.2, 0.6, 0.4, 0.7, 0.3);
    const s = score(probs, Int32Array.of(0, 1, 2, 3), truth, 2);
    expect(s.accuracy).toBe(0.75);
    expect(s.macroF1).toBeCloseTo(3 / 7, 12);
    expect(s.loss).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8) + Math.log(0.6) + Math.log(0.3)) / 4, 12);
  });
});

describe("learning-rate schedule", () => {
  it("warms up linearly to the peak, then decays by a cosine to the floor", () => {
    const s = { peak: 0.1, warmupSteps: 10, totalSteps: 110, floor: 0.02 };
    expect(learningRate(0, s)).toBeCloseTo(0.01, 12);
    expect(learningRate(9, s)).toBeCloseTo(0.1, 12);
    expect(learningRate(60, s)).toBeCloseTo(0.1 * (0.02 + 0.98 * 0.5), 12);
    expect(learningRate(110, s)).toBeCloseTo(0.002, 12);
    for (let t = 10; t < 110; t++) expect(learningRate(t + 1, s)).toBeLessThanOrEqual(learningRate(t, s));
  });
});

describe("search space", () => {
  it("keeps every embedding table within MAX_TABLE values, also with 75 labels (language identification)", () => {
    for (const classes of [2, 10, 75, 300]) {
      const ctx = { classes, rows: 4000 };
      const configs = [...stage1(ctx), ...stage2(ctx), ...stage3(ctx, BASE_FEATURES), ...stage4(ctx, BASE_FEATURES)];
      for (const c of configs) {
        expect(c.featurizer.buckets * (c.kind === "linear" ? classes : c.hidden)).toBeLessThanOrEqual(MAX_TABLE);
        expect(c.name).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/);
      }
      // Capping can make two variants the same configuration (the search skips a name it has tried); not for few labels.
      if (classes <= 10) expect(new Set(configs.map((c) => c.name)).size).toBe(configs.length);
    }
    expect(linear({ classes: 75, rows: 4000 }, BASE_FEATURES).featurizer.buckets).toBe(2 ** 17);
    expect(linear({ classes: 2, rows: 4000 }, { ...BASE_FEATURES, bucketsLog2: 20 }).featurizer.buckets).toBe(2 ** 20);
    expect(mlp({ classes: 2, rows: 4000 }, BASE_FEATURES, 128).featurizer.buckets).toBe(2 ** 16);
  });
});

describe("objectives", () => {
  const m = (name: string, accuracy: number, bytes: number, macroF1 = accuracy): Measured => ({ name, accuracy, macroF1, loss: 1 - accuracy, params: bytes / 4, bytes });
  const big = m("big", 0.985, 8_000_000);
  const mid = m("mid", 0.983, 500_000);
  const small = m("small", 0.978, 30_000);
  const poor = m("poor", 0.95, 10_000);
  const names = (xs: Measured[]) => xs.map((x) => x.name);

  it.each([
    ["most_accurate", 900, ["big", "mid", "small", "poor"]],
    // Within 1 point of the best, fewest parameters first.
    ["fastest", 900, ["small", "mid", "big", "poor"]],
    // One standard error of 98.5 % on 900 rows is 0.41 points: mid (−0.2) ties with big, small (−0.7) does not.
    ["balanced", 900, ["mid", "big", "small", "poor"]],
    // On 100 rows the error is 1.2 points: the smallest tied model wins.
    ["balanced", 100, ["small", "mid", "big", "poor"]],
  ] as const)("%s (hold-out of %i rows)", (objective, n, expected) => {
    expect(names(rankByObjective([poor, small, big, mid], objective, n))).toEqual(expected);
  });

  it("breaks accuracy ties by macro-F1", () => {
    expect(names(rankByObjective([m("a", 0.9, 10, 0.7), m("b", 0.9, 10, 0.8)], "most_accurate", 100))).toEqual(["b", "a"]);
  });

  it("drops candidates another beats on accuracy and size, keeping at least two", () => {
    const dominated = m("dominated", 0.97, 9_000_000);
    expect(names(frontier(rankByObjective([big, mid, small, dominated, poor], "most_accurate", 900)))).toEqual(["big", "mid", "small", "poor"]);
    expect(names(frontier([big, m("worse-bigger", 0.9, 9_000_000)]))).toEqual(["big", "worse-bigger"]);
  });
});
