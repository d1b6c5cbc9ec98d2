/**
 * The hyper-parameter search space and its order. The search is a fixed sequence of stages, each built from what
 * the earlier ones measured, so a run is deterministic for a seed as long as the budget lets it finish the same
 * stages; a budget cut only shortens the list. Stage 1 goes first because under a tight budget it still yields a
 * good model, a small one and an MLP — a frontier.
 */
import type { FeaturizerConfig } from "@/lib/models/text/featurize";
import type { TextModelKind } from "@/lib/models/text/spec";

export interface TrainConfig {
  /** Version-safe: /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/. */
  name: string;
  kind: TextModelKind;
  featurizer: FeaturizerConfig;
  hidden: number;
  l2: number;
  lr: number;
  batchSize: number;
  maxEpochs: number;
  patience: number;
}

/**
 * Largest embedding table (buckets × D values) the search builds: the table, Adam's two moments (float32 each) and a
 * best-epoch snapshot are 16 bytes a value, so 10 M values ≈ 160 MB; with the few snapshots the search keeps (4 bytes
 * a value each), a run stays under ~500 MB. With many labels (language identification: ~75 → 2^17 buckets at most)
 * this is what bounds a linear model's table.
 */
export const MAX_TABLE = 10_000_000;
const MIN_BUCKETS_LOG2 = 12;
const MAX_BUCKETS_LOG2 = 20;
const MAX_FEATURES = 2048;

/** log2 of the most buckets a table of row width D may have, at most `want`. */
function capBuckets(want: number, D: number): number {
  let b = Math.max(MIN_BUCKETS_LOG2, Math.min(want, MAX_BUCKETS_LOG2));
  while (b > MIN_BUCKETS_LOG2 && 2 ** b * D > MAX_TABLE) b--;
  return b;
}

export interface FeatureChoice {
  char: [number, number] | null;
  word: [number, number] | null;
  bucketsLog2: number;
}

function featurizer(f: FeatureChoice): FeaturizerConfig {
  return { buckets: 2 ** f.bucketsLog2, char: f.char, word: f.word, maxFeatures: MAX_FEATURES };
}

const range = (r: [number, number] | null) => (r ? `${r[0]}${r[1]}` : "");

function nameOf(kind: TextModelKind, f: FeaturizerConfig, hidden: number, l2: number): string {
  const parts = [kind, `b${Math.log2(f.buckets)}`];
  if (kind === "mlp") parts.push(`h${hidden}`);
  if (f.char) parts.push(`c${range(f.char)}`);
  if (f.word) parts.push(`w${range(f.word)}`);
  if (l2 !== DEFAULT_L2) parts.push(l2 === 0 ? "r0" : `r${Math.round(-Math.log10(l2))}`);
  return parts.join("-");
}

export const DEFAULT_L2 = 1e-6;

/** What the search space depends on: the number of labels and of training rows. */
export interface SearchContext {
  classes: number;
  rows: number;
}

/**
 * Mini-batch size and the learning-rate factor that goes with it. Many labels make each touched row of a linear
 * model wide (C values), so the lazy Adam update dominates a step: batches of 128 share rows between their texts and
 * cut that work per text (with twice the step size, as measured on 75-language data); small data keeps 32 so an epoch
 * still has enough steps.
 */
function batching(ctx: SearchContext): { batchSize: number; lrFactor: number } {
  return ctx.classes > 8 && ctx.rows >= 2000 ? { batchSize: 128, lrFactor: 2 } : { batchSize: 32, lrFactor: 1 };
}

export function linear(ctx: SearchContext, f: FeatureChoice, l2 = DEFAULT_L2): TrainConfig {
  const fz = featurizer({ ...f, bucketsLog2: capBuckets(f.bucketsLog2, ctx.classes) });
  const { batchSize, lrFactor } = batching(ctx);
  return { name: nameOf("linear", fz, 0, l2), kind: "linear", featurizer: fz, hidden: 0, l2, lr: 0.02 * lrFactor, batchSize, maxEpochs: 30, patience: 3 };
}

export function mlp(ctx: SearchContext, f: FeatureChoice, hidden: number, l2 = DEFAULT_L2): TrainConfig {
  const fz = featurizer({ ...f, bucketsLog2: capBuckets(f.bucketsLog2, hidden) });
  const { batchSize, lrFactor } = batching(ctx);
  return { name: nameOf("mlp", fz, hidden, l2), kind: "mlp", featurizer: fz, hidden, l2, lr: 0.005 * lrFactor, batchSize, maxEpochs: 30, patience: 3 };
}

/** Stage 1: the usual best fastText-style features, a small fast model, and an MLP. */
export const BASE_FEATURES: FeatureChoice = { char: [1, 4], word: [1, 2], bucketsLog2: 18 };

export function stage1(ctx: SearchContext): TrainConfig[] {
  return [linear(ctx, BASE_FEATURES), linear(ctx, { char: [1, 3], word: [1, 1], bucketsLog2: 16 }), mlp(ctx, { ...BASE_FEATURES, bucketsLog2: 17 }, 64)];
}

/** Stage 2: other feature sets (longer char n-grams, chars only, words only). */
export function stage2(ctx: SearchContext): TrainConfig[] {
  return [
    linear(ctx, { char: [2, 5], word: [1, 2], bucketsLog2: 19 }),
    linear(ctx, { char: [1, 4], word: null, bucketsLog2: 18 }),
    linear(ctx, { char: null, word: [1, 2], bucketsLog2: 18 }),
  ];
}

/** Stage 3, around the best linear feature set: regularisation, and a larger and a smaller table. */
export function stage3(ctx: SearchContext, best: FeatureChoice): TrainConfig[] {
  return [
    linear(ctx, best, 1e-5),
    linear(ctx, best, 1e-4),
    linear(ctx, { ...best, bucketsLog2: best.bucketsLog2 + 2 }),
    linear(ctx, { ...best, bucketsLog2: best.bucketsLog2 - 2 }),
  ];
}

/** Stage 4, MLPs over the best feature set: narrower and wider. */
export function stage4(ctx: SearchContext, best: FeatureChoice): TrainConfig[] {
  return [mlp(ctx, { ...best, bucketsLog2: 16 }, 32), mlp(ctx, { ...best, bucketsLog2: 17 }, 128)];
}

export function featureChoiceOf(c: TrainConfig): FeatureChoice {
  return { char: c.featurizer.char, word: c.featurizer.word, bucketsLog2: Math.log2(c.featurizer.buckets) };
}
