/**
 * The hyper-parameter search: each configuration is trained with early stopping on validation rows drawn from the
 * training part only (one stratified split, or k stratified folds when data is small and one split would be too
 * noisy to choose by), and scored by its mean validation accuracy. The hold-out is never seen here.
 */
import type { FeaturizerConfig } from "@/lib/models/text/featurize";
import { featureChoiceOf, stage1, stage2, stage3, stage4, type SearchContext, type TrainConfig } from "./configs";
import { fit, type EpochReport } from "./fit";
import { paramCount, type NetParams, type NetShape } from "./net";
import { deriveSeed } from "./random";
import { featurizeAll, type SparseRows } from "./sparse";

export interface Fold {
  train: Int32Array;
  valid: Int32Array;
}

export interface Evaluated {
  config: TrainConfig;
  shape: NetShape;
  /** Order of evaluation (a stable tie-break). */
  order: number;
  accuracy: number;
  macroF1: number;
  loss: number;
  /** Epochs a retrain on the whole training part runs (the folds' mean best epoch). */
  epochs: number;
  /** Mean milliseconds per epoch of one fold's training (rows of fold 0's train part). */
  msPerEpoch: number;
  foldRows: number;
  params: number;
  /** Fold 0's best-epoch parameters: the candidate if there is no time to retrain. Dropped for the also-rans. */
  model: NetParams | null;
  fitMs: number;
}

export interface SearchHooks {
  shouldStop?: () => boolean;
  onEpoch?: (config: TrainConfig, e: EpochReport) => void;
  onBatch?: (config: TrainConfig, fraction: number) => void;
}

/**
 * The dataset featurized for one featurizer config at a time: memory grows with rows × features, so the previous one
 * is dropped before the next is built (the search visits configurations grouped by featurizer; re-featurizing a few
 * thousand texts takes a fraction of a second).
 */
export class FeatureCache {
  private key = "";
  private rows: SparseRows | null = null;
  constructor(private readonly texts: readonly string[]) {}

  get(cfg: FeaturizerConfig): SparseRows {
    const key = JSON.stringify(cfg);
    if (this.rows && this.key === key) return this.rows;
    this.rows = null;
    this.rows = featurizeAll(this.texts, cfg);
    this.key = key;
    return this.rows;
  }
}

export function shapeOf(c: TrainConfig, classes: number): NetShape {
  return { kind: c.kind, buckets: c.featurizer.buckets, classes, hidden: c.hidden };
}

/** Search order: accuracy, then macro-F1, then validation loss, then the earlier-evaluated. */
export function bySearchScore(a: Evaluated, b: Evaluated): number {
  return b.accuracy - a.accuracy || b.macroF1 - a.macroF1 || a.loss - b.loss || a.order - b.order;
}

/**
 * Trains `config` on each fold (early stopping on its validation rows) and averages. Returns null when the deadline
 * cut it short, unless `mustFinish` (the first configuration: a run needs at least one model), in which case what
 * was trained by the deadline is kept.
 */
export function evaluate(config: TrainConfig, order: number, folds: readonly Fold[], data: SparseRows, y: Int32Array, classes: number, seed: number, deadline: number, mustFinish: boolean, hooks: SearchHooks): Evaluated | null {
  const shape = shapeOf(config, classes);
  let acc = 0;
  let f1 = 0;
  let loss = 0;
  let epochs = 0;
  let ms = 0;
  let epochMs = 0;
  let done = 0;
  let model: NetParams | null = null;
  for (let f = 0; f < folds.length; f++) {
    const res = fit(shape, data, y, folds[f].train, {
      maxEpochs: config.maxEpochs,
      scheduleEpochs: config.maxEpochs,
      batchSize: config.batchSize,
      lr: config.lr,
      l2: config.l2,
      seed: deriveSeed(seed, order, f),
      valid: folds[f].valid,
      patience: config.patience,
      keepBest: f === 0,
      deadline,
      shouldStop: hooks.shouldStop,
      onEpoch: f === 0 ? (e) => hooks.onEpoch?.(config, e) : undefined,
      onBatch: (x) => hooks.onBatch?.(config, (f + x) / folds.length),
    });
    if (res.timedOut && !mustFinish) return null;
    if (f === 0) model = res.params;
    ms += res.ms;
    if (res.best) {
      acc += res.best.accuracy;
      f1 += res.best.macroF1;
      loss += res.best.loss;
      epochs += res.bestEpoch;
      epochMs += res.ms / Math.max(1, res.epochs);
      done++;
    }
    if (res.timedOut) break;
  }
  const n = Math.max(1, done);
  return {
    config,
    shape,
    order,
    accuracy: done ? acc / n : 0,
    macroF1: done ? f1 / n : 0,
    loss: done ? loss / n : Infinity,
    epochs: Math.max(1, Math.round(epochs / n)),
    msPerEpoch: done ? epochMs / n : ms,
    foldRows: folds[0].train.length,
    params: paramCount(shape),
    model,
    fitMs: ms,
  };
}

/** The search's stages, each computed from what was measured before it. */
export function stages(ctx: SearchContext): ((done: readonly Evaluated[]) => TrainConfig[])[] {
  const bestOf = (done: readonly Evaluated[], kind?: string) => [...done].filter((e) => !kind || e.config.kind === kind).sort(bySearchScore)[0];
  return [
    () => stage1(ctx),
    () => stage2(ctx),
    (done) => {
      const best = bestOf(done, "linear");
      return best ? stage3(ctx, featureChoiceOf(best.config)) : [];
    },
    (done) => {
      const best = bestOf(done);
      return best ? stage4(ctx, featureChoiceOf(best.config)) : [];
    },
  ];
}
