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

export function linear(classes: number, f: FeatureChoice, l2 = DEFAULT_L2): TrainConfig {
  const fz = featurizer({ ...f, bucketsLog2: capBuckets(f.bucketsLog2, classes) });
  return { name: nameOf("linear", fz, 0, l2), kind: "linear", featurizer: fz, hidden: 0, l2, lr: 0.02, batchSize: 32, maxEpochs: 30, patience: 3 };
}

export function mlp(f: FeatureChoice, hidden: number, l2 = DEFAULT_L2): TrainConfig {
  const fz = featurizer({ ...f, bucketsLog2: capBuckets(f.bucketsLog2, hidden) });
  return { name: nameOf("mlp", fz, hidden, l2), kind: "mlp", featurizer: fz, hidden, l2, lr: 0.005, batchSize: 32, maxEpochs: 30, patience: 3 };
}

/** Stage 1: the usual best fastText-style features, a small fast model, and an MLP. */
export const BASE_FEATURES: FeatureChoice = { char: [1, 4], word: [1, 2], bucketsLog2: 18 };

export function stage1(classes: number): TrainConfig[] {
  return [linear(classes, BASE_FEATURES), linear(classes, { char: [1, 3], word: [1, 1], bucketsLog2: 14 }), mlp({ ...BASE_FEATURES, bucketsLog2: 17 }, 64)];
}

/** Stage 2: other feature sets (longer char n-grams, chars only, words only). */
export function stage2(classes: number): TrainConfig[] {
  return [
    linear(classes, { char: [2, 5], word: [1, 2], bucketsLog2: 19 }),
    linear(classes, { char: [1, 4], word: null, bucketsLog2: 18 }),
    linear(classes, { char: null, word: [1, 2], bucketsLog2: 18 }),
  ];
}

/** Stage 3, around the best linear feature set: regularisation, and a larger and a smaller table. */
export function stage3(classes: number, best: FeatureChoice): TrainConfig[] {
  return [
    linear(classes, best, 1e-5),
    linear(classes, best, 1e-4),
    linear(classes, { ...best, bucketsLog2: best.bucketsLog2 + 2 }),
    linear(classes, { ...best, bucketsLog2: best.bucketsLog2 - 3 }),
  ];
}

/** Stage 4, MLPs over the best feature set: narrower and wider. */
export function stage4(best: FeatureChoice): TrainConfig[] {
  return [mlp({ ...best, bucketsLog2: 16 }, 32), mlp({ ...best, bucketsLog2: 17 }, 128)];
}

export function featureChoiceOf(c: TrainConfig): FeatureChoice {
  return { char: c.featurizer.char, word: c.featurizer.word, bucketsLog2: Math.log2(c.featurizer.buckets) };
}
