/**
 * trainTextClassifier: labelled texts → a few trained text classifiers (ONNX, with hold-out metrics), the best by
 * the objective first. CPU-bound and synchronous: it runs inside the training worker thread.
 *
 *   1. A stratified hold-out (20 %, at most 5,000 rows) is set aside: it is never trained or early-stopped on. A huge
 *      training part is sampled down to what memory affords (boundRows; the langid training set is not).
 *   2. The search (search.ts, configs.ts) trains configurations on the rest, early-stopping and scoring on one
 *      stratified validation split, or on k folds when the dataset has fewer than 2,000 rows, until 70 % of the budget.
 *   3. The chosen few are retrained on the whole training part for their best epoch count (when the time left
 *      allows; otherwise the search's fold-0 model is kept), exported to ONNX and measured on the hold-out.
 * Deterministic for a seed whenever the budget lets the same stages finish (the budget only shortens the search).
 */
import { ServiceError } from "@/lib/models/errors";
import { featurize, type FeaturizerConfig } from "@/lib/models/text/featurize";
import { buildTextModel } from "@/lib/models/text/graph";
import { FEATURIZER_LIMITS, type TextModelSpec } from "@/lib/models/text/spec";
import { TrainingCancelled } from "./cancel";
import type { TrainConfig } from "./configs";
import { fit } from "./fit";
import { score } from "./metrics";
import { predictProba, toTextWeights } from "./net";
import { ProgressReporter } from "./progress";
import { deriveSeed, mulberry32 } from "./random";
import { bySearchScore, evaluate, FeatureCache, stages, type Evaluated, type Fold } from "./search";
import { frontier, rankByObjective } from "./select";
import { stratifiedFolds, stratifiedHoldout } from "./split";
import type { TrainedCandidate, TrainOptions, TrainProgress, TrainResult } from "./types";

export { TrainingCancelled } from "./cancel";
export type { CandidateMetrics, Objective, TrainedCandidate, TrainOptions, TrainProgress, TrainResult } from "./types";

const HOLDOUT_FRACTION = 0.2;
const MAX_HOLDOUT = 5000;
const VALID_FRACTION = 0.15;
const MAX_VALID = 5000;
/** Below this many rows one validation split is too noisy to choose by: k-fold. */
const KFOLD_BELOW = 2000;
const K = 5;
const SEARCH_SHARE = 0.7;
/** The first configuration may run on past the search's share (a run needs one model) up to this share. */
const FIRST_SHARE = 0.85;
/**
 * Featurized values (index + weight, 8 bytes each) of the training rows: ~268 MB. A 64 MB dataset of short messages
 * (~800,000 rows, ~150 values each) is sampled to ~200,000 rows; the langid training set (~250,000 short samples) fits.
 */
export const MAX_FEATURE_VALUES = 2 ** 25;
/** At least as many features per text as any featurizer of the staged search (configs.ts). */
export const WIDEST_SEARCHED: FeaturizerConfig = { buckets: 2 ** 20, char: [1, 5], word: [1, 2], maxFeatures: 2048 };
/** Candidates retrained and measured: the frontier is drawn from these. */
const FINALISTS = 4;

function invalid(message: string): ServiceError {
  return new ServiceError("dataset_invalid", message);
}

/** Label ids (labels sorted, so the output order is the same whatever the row order). */
function encodeLabels(data: { texts: readonly string[]; labels: readonly string[] }): { labels: string[]; y: Int32Array } {
  if (data.texts.length !== data.labels.length) throw invalid(`${data.texts.length} texts but ${data.labels.length} labels.`);
  for (const l of data.labels) {
    if (typeof l !== "string" || l.length === 0 || l.length > FEATURIZER_LIMITS.maxLabelLength) throw invalid(`Every label must be a non-empty string of at most ${FEATURIZER_LIMITS.maxLabelLength} characters.`);
  }
  if (data.texts.some((t) => typeof t !== "string")) throw invalid("Every text must be a string.");
  const labels = [...new Set(data.labels)].sort();
  if (labels.length < 2) throw invalid(`A classifier needs at least two labels; the dataset has ${labels.length}.`);
  if (labels.length > FEATURIZER_LIMITS.maxLabels) throw invalid(`At most ${FEATURIZER_LIMITS.maxLabels} labels; the dataset has ${labels.length}.`);
  const id = new Map(labels.map((l, i) => [l, i]));
  const y = Int32Array.from(data.labels, (l) => id.get(l) as number);
  const counts = new Int32Array(labels.length);
  for (const c of y) counts[c]++;
  const few = labels.filter((_, i) => counts[i] < 2);
  if (few.length) throw invalid(`Each label needs at least two rows (one to train on, one to measure); too few for ${few.slice(0, 5).map((l) => JSON.stringify(l)).join(", ")}.`);
  return { labels, y };
}

/** Picks the configurations worth retraining: the best, the best of the other kind, the smallest near the best, then by score. */
function finalists(done: readonly Evaluated[]): Evaluated[] {
  const ranked = [...done].sort(bySearchScore);
  if (ranked.length === 0) return [];
  const picks = new Set<Evaluated>([ranked[0]]);
  const otherKind = ranked.find((e) => e.config.kind !== ranked[0].config.kind);
  if (otherKind) picks.add(otherKind);
  const near = ranked.filter((e) => e.accuracy >= ranked[0].accuracy - 0.01);
  picks.add(near.reduce((a, b) => (b.params < a.params ? b : a)));
  for (const e of ranked) if (picks.size < FINALISTS) picks.add(e);
  return ranked.filter((e) => picks.has(e));
}

function hyper(c: TrainConfig, epochs: number): Record<string, number> {
  const f = c.featurizer;
  return {
    buckets: f.buckets,
    charMin: f.char?.[0] ?? 0,
    charMax: f.char?.[1] ?? 0,
    wordMin: f.word?.[0] ?? 0,
    wordMax: f.word?.[1] ?? 0,
    maxFeatures: f.maxFeatures,
    hidden: c.hidden,
    l2: c.l2,
    lr: c.lr,
    batchSize: c.batchSize,
    epochs,
  };
}

/**
 * The training rows the search can afford: a featurized row costs 8 bytes a feature, so a huge dataset (64 MB of
 * short messages is ~800,000 rows) would need gigabytes. Past `maxValues` (estimated from a sample featurized with
 * `widest`, the widest n-gram ranges that will be trained) a stratified sample of the training part is trained on;
 * more rows than that add little to models of this size.
 */
export function boundRows(train: Int32Array, texts: readonly string[], y: Int32Array, classes: number, seed: number, widest: FeaturizerConfig = WIDEST_SEARCHED, maxValues = MAX_FEATURE_VALUES): Int32Array {
  const sample = Math.min(200, train.length);
  let features = 0;
  for (let i = 0; i < sample; i++) features += featurize(texts[train[Math.floor((i * train.length) / sample)]], widest).indices.length;
  const perRow = Math.max(1, (features / Math.max(1, sample)) * 1.1);
  const affordable = Math.floor(maxValues / perRow);
  if (train.length <= affordable) return train;
  return stratifiedHoldout(train, y, classes, affordable / train.length, mulberry32(deriveSeed(seed, 3))).holdout;
}

/** A featurizer config emitting at least as many features per text as any of `cfgs` (for boundRows' estimate). */
function widestOf(cfgs: readonly FeaturizerConfig[]): FeaturizerConfig {
  const span = (get: (c: FeaturizerConfig) => [number, number] | null): [number, number] | null => {
    const rs = cfgs.map(get).filter((r): r is [number, number] => r !== null);
    return rs.length ? [Math.min(...rs.map((r) => r[0])), Math.max(...rs.map((r) => r[1]))] : null;
  };
  return { buckets: Math.max(...cfgs.map((c) => c.buckets)), char: span((c) => c.char), word: span((c) => c.word), maxFeatures: Math.max(...cfgs.map((c) => c.maxFeatures)) };
}

export function trainTextClassifier(data: { texts: readonly string[]; labels: readonly string[] }, opts: TrainOptions): TrainResult {
  const start = performance.now();
  const budgetMs = Math.max(0, (opts.budgetS ?? 120) * 1000);
  const objective = opts.objective ?? "balanced";
  const seed = (opts.seed ?? 1) >>> 0;
  const stop = () => {
    if (opts.shouldStop?.()) throw new TrainingCancelled();
  };
  const progress = new ProgressReporter(opts.onProgress);
  const report = (p: TrainProgress, force = false) => progress.report(p, force);

  const encoded = encodeLabels(data);
  const { labels } = encoded;
  const classes = labels.length;
  const all = Int32Array.from({ length: encoded.y.length }, (_, i) => i);
  const split = stratifiedHoldout(all, encoded.y, classes, HOLDOUT_FRACTION, mulberry32(deriveSeed(seed, 1)), MAX_HOLDOUT);
  // A fixed configuration list is bounded by what it will train, not by the widest the search could try (langid's
  // 420,000 samples fit whole with its own n-gram ranges; estimated with the search's widest they would be cut).
  const kept = boundRows(split.train, data.texts, encoded.y, classes, seed, opts.configs?.length ? widestOf(opts.configs.map((c) => c.featurizer)) : WIDEST_SEARCHED);
  // From here on rows are positions in the rows used: the kept training rows, then the hold-out.
  const texts = [...Array.from(kept, (r) => data.texts[r]), ...Array.from(split.holdout, (r) => data.texts[r])];
  const y = Int32Array.from([...kept, ...split.holdout], (r) => encoded.y[r]);
  const train = Int32Array.from({ length: kept.length }, (_, i) => i);
  const holdout = Int32Array.from({ length: split.holdout.length }, (_, i) => kept.length + i);
  let folds: Fold[];
  if (all.length < KFOLD_BELOW) {
    const counts = new Int32Array(classes);
    for (const r of train) counts[y[r]]++;
    folds = stratifiedFolds(train, y, classes, Math.max(2, Math.min(K, ...counts)), mulberry32(deriveSeed(seed, 2)));
  } else {
    const inner = stratifiedHoldout(train, y, classes, VALID_FRACTION, mulberry32(deriveSeed(seed, 2)), MAX_VALID);
    folds = [{ train: inner.train, valid: inner.holdout }];
  }

  report({ phase: "features", fraction: 0 }, true);
  stop();
  const features = new FeatureCache(texts);
  const curve: TrainResult["curve"] = [];
  const done: Evaluated[] = [];
  const seen = new Set<string>();
  const searchDeadline = start + SEARCH_SHARE * budgetMs;
  const fixed = opts.configs;
  const stageList = fixed ? [() => [...fixed]] : stages({ classes, rows: train.length });
  /** Configurations a full search tries (the stages of configs.ts: 3 + 3 + 4 + 2), for the progress fraction. */
  const planned = 12;
  let order = 0;

  // Search.
  search: for (const stage of stageList) {
    const configs = stage(done).filter((c) => !seen.has(c.name));
    for (const config of configs) {
      seen.add(config.name);
      const first = done.length === 0;
      if (!first && performance.now() > searchDeadline) break search;
      stop();
      const rows = features.get(config.featurizer);
      const base = done.length;
      const fraction = (x: number) => SEARCH_SHARE * Math.min(1, Math.max((base + x) / planned, (performance.now() - start) / Math.max(1, budgetMs * SEARCH_SHARE)));
      const result = evaluate(config, order++, folds, rows, y, classes, seed, first ? start + FIRST_SHARE * budgetMs : searchDeadline, first, {
        shouldStop: opts.shouldStop,
        onEpoch: (c, e) => {
          if (e.validLoss !== null) curve.push({ candidate: c.name, epoch: e.epoch, trainLoss: e.trainLoss, validLoss: e.validLoss });
          report({ phase: "search", fraction: fraction(0), candidate: c.name, epoch: e.epoch, trainLoss: e.trainLoss, validLoss: e.validLoss ?? undefined });
        },
        onBatch: (c, x) => report({ phase: "search", fraction: fraction(x), candidate: c.name }),
      });
      if (!result) break search;
      done.push(result);
      // Keep fold-0 models only for the configurations that may become candidates (memory).
      const keep = new Set(finalists(done));
      for (const e of done) if (!keep.has(e)) e.model = null;
    }
  }

  // Final: retrain the finalists on the whole training part when time allows, export, measure on the hold-out.
  const picks = finalists(done);
  const deadline = start + budgetMs;
  const measured: (TrainedCandidate & { loss: number; accuracy: number; macroF1: number; params: number; bytes: number })[] = [];
  picks.forEach((e, i) => {
    stop();
    const fraction = SEARCH_SHARE + ((1 - SEARCH_SHARE) * i) / picks.length;
    report({ phase: "final", fraction, candidate: e.config.name }, true);
    const rows = features.get(e.config.featurizer);
    const estimate = e.msPerEpoch * e.epochs * (train.length / Math.max(1, e.foldRows));
    let params = e.model;
    let trainMs = e.fitMs;
    const epochs = e.epochs;
    if (performance.now() + estimate < deadline) {
      const res = fit(e.shape, rows, y, train, {
        maxEpochs: e.epochs,
        scheduleEpochs: e.config.maxEpochs,
        batchSize: e.config.batchSize,
        lr: e.config.lr,
        l2: e.config.l2,
        seed: deriveSeed(seed, 0xf1, e.order),
        valid: null,
        patience: 0,
        keepBest: false,
        deadline,
        shouldStop: opts.shouldStop,
        onBatch: (x) => report({ phase: "final", fraction: fraction + ((1 - SEARCH_SHARE) * x) / picks.length, candidate: e.config.name }),
      });
      if (!res.timedOut) {
        params = res.params;
        trainMs = res.ms;
      }
    }
    if (!params) return;
    const spec: TextModelSpec = { labels, featurizer: e.config.featurizer, kind: e.config.kind };
    const onnx = buildTextModel(spec, toTextWeights(e.shape, params));
    const s = score(predictProba(e.shape, params, rows, holdout), holdout, y, classes);
    measured.push({
      name: e.config.name,
      kind: e.config.kind,
      hyper: hyper(e.config, epochs),
      spec,
      onnx,
      metrics: { accuracy: s.accuracy, macroF1: s.macroF1, validLoss: s.loss, params: e.params, bytes: onnx.byteLength, trainMs: Math.round(trainMs) },
      loss: s.loss,
      accuracy: s.accuracy,
      macroF1: s.macroF1,
      params: e.params,
      bytes: onnx.byteLength,
    });
  });

  // evaluate() keeps the first configuration's model whatever the deadline, and finalists() always includes it.
  if (measured.length === 0) throw new Error("trainer: no candidate was trained");
  const ranked = frontier(rankByObjective(measured, objective, holdout.length));
  report({ phase: "final", fraction: 1 }, true);
  return {
    labels,
    candidates: ranked.map((m) => ({ name: m.name, kind: m.kind, hyper: m.hyper, spec: m.spec, onnx: m.onnx, metrics: m.metrics })),
    best: ranked[0].name,
    holdout: Array.from(holdout, (r) => ({ text: texts[r], label: labels[y[r]] })),
    curve,
  };
}
