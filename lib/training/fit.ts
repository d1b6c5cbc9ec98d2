/**
 * Trains one network: shuffled mini-batches, lazy Adam, warm-up + cosine learning rate, early stopping on the
 * validation loss. Deterministic for its seed (row initialisation and batch order come from it); the only outside
 * influences are the deadline and the cancel hook, both checked between mini-batches.
 */
import { LazyAdam } from "./adam";
import { TrainingCancelled } from "./cancel";
import { score, type Scores } from "./metrics";
import { batchLossAndGrad, embedDim, predictProba, SparseGrad, Workspace, zeroParams, type NetParams, type NetShape } from "./net";
import { deriveSeed, mulberry32, shuffleInPlace } from "./random";
import { learningRate } from "./schedule";
import type { SparseRows } from "./sparse";

export interface FitOptions {
  /** Stop after this many epochs at most. */
  maxEpochs: number;
  /** Epochs the learning-rate schedule spans (≥ maxEpochs; a retrain uses the search run's plan). */
  scheduleEpochs: number;
  batchSize: number;
  /** Peak learning rate. */
  lr: number;
  l2: number;
  seed: number;
  /** Rows (of `data`) to early-stop on; null trains for maxEpochs. */
  valid: Int32Array | null;
  /** Epochs without a better validation loss before stopping. */
  patience: number;
  /** Return the parameters of the best validation epoch (copied when it improves) rather than the last. */
  keepBest: boolean;
  /** performance.now() past which training stops between mini-batches (timedOut is then set). */
  deadline: number;
  shouldStop?: () => boolean;
  onEpoch?: (e: EpochReport) => void;
  /** Called between mini-batches with the fraction of maxEpochs done. */
  onBatch?: (fraction: number) => void;
}

export interface EpochReport {
  epoch: number;
  trainLoss: number;
  validLoss: number | null;
}

export interface FitResult {
  params: NetParams;
  /** Whole epochs completed. */
  epochs: number;
  /** 1-based epoch whose validation loss was lowest (the last epoch without validation). */
  bestEpoch: number;
  /** Validation scores at bestEpoch. */
  best: Scores | null;
  history: EpochReport[];
  timedOut: boolean;
  ms: number;
}

/** Improvements smaller than this (relative) do not reset the patience counter. */
const MIN_IMPROVEMENT = 1e-4;

/**
 * Initial parameters. Linear: zero weights, biases at the log class priors (the best guess before any feature). MLP:
 * W2 Glorot-uniform, rows of E drawn the first time a batch touches them (lazyRows), so rows of features never seen
 * stay 0 — they add nothing at serving time — and a 2^18-row table costs nothing to set up.
 */
function initParams(s: NetShape, data: SparseRows, y: Int32Array, train: Int32Array, seed: number): NetParams {
  const p = zeroParams(s);
  const counts = new Float64Array(s.classes);
  for (const r of train) counts[y[r]]++;
  const logPrior = Array.from(counts, (c) => Math.log((c + 1) / (train.length + s.classes)));
  const mean = logPrior.reduce((a, b) => a + b, 0) / s.classes;
  const outBias = s.kind === "linear" ? p.b1 : p.b2;
  logPrior.forEach((l, c) => (outBias[c] = l - mean));
  if (s.kind === "mlp") {
    const rng = mulberry32(deriveSeed(seed, 0x57));
    const a = Math.sqrt(6 / (s.hidden + s.classes));
    for (let i = 0; i < p.W2.length; i++) p.W2[i] = (rng() * 2 - 1) * a;
  }
  return p;
}

/** Draws E's rows on first touch, each from its own seeded stream (so the order of first touches does not matter). */
class LazyRows {
  private readonly done: Uint8Array;
  constructor(
    private readonly s: NetShape,
    private readonly seed: number,
  ) {
    this.done = new Uint8Array(s.buckets);
  }

  /** Pre-activation x = Σ v·E[i] of an L2-normalised input has variance ≈ a²/3: a = √3 · 0.5 gives it std ≈ 0.5. */
  private static readonly SCALE = Math.sqrt(3) * 0.5;

  ensure(p: NetParams, data: SparseRows, batch: Int32Array, from: number, to: number): void {
    const D = embedDim(this.s);
    for (let i = from; i < to; i++) {
      const r = batch[i];
      for (let k = data.indptr[r]; k < data.indptr[r + 1]; k++) {
        const row = data.indices[k];
        if (this.done[row]) continue;
        this.done[row] = 1;
        const rng = mulberry32(deriveSeed(this.seed, row));
        for (let d = 0; d < D; d++) p.E[row * D + d] = (rng() * 2 - 1) * LazyRows.SCALE;
      }
    }
  }
}

function copyParams(from: NetParams, to: NetParams): void {
  to.E.set(from.E);
  to.b1.set(from.b1);
  to.W2.set(from.W2);
  to.b2.set(from.b2);
}

export function fit(s: NetShape, data: SparseRows, y: Int32Array, train: Int32Array, o: FitOptions): FitResult {
  const t0 = performance.now();
  const p = initParams(s, data, y, train, o.seed);
  const lazy = s.kind === "mlp" ? new LazyRows(s, deriveSeed(o.seed, 0x1a2e)) : null;
  const adam = new LazyAdam(s, p);
  const g = new SparseGrad(s);
  const ws = new Workspace(s);
  const order = Int32Array.from(train);
  const rng = mulberry32(deriveSeed(o.seed, 0x5f));
  const batch = Math.max(1, Math.min(o.batchSize, train.length));
  const stepsPerEpoch = Math.ceil(train.length / batch);
  const totalSteps = stepsPerEpoch * Math.max(o.scheduleEpochs, o.maxEpochs);
  const schedule = { peak: o.lr, warmupSteps: Math.max(1, Math.min(stepsPerEpoch, Math.round(0.03 * totalSteps))), totalSteps, floor: 0.02 };
  const snapshot = o.keepBest && o.valid ? zeroParams(s) : null;

  const history: EpochReport[] = [];
  let best: Scores | null = null;
  let bestEpoch = 0;
  let sinceBest = 0;
  let step = 0;
  let timedOut = false;
  let epoch = 0;
  while (epoch < o.maxEpochs && !timedOut) {
    shuffleInPlace(order, rng);
    let ceSum = 0;
    let seen = 0;
    for (let from = 0; from < order.length; from += batch) {
      if (o.shouldStop?.()) throw new TrainingCancelled();
      if (performance.now() > o.deadline) {
        timedOut = true;
        break;
      }
      const to = Math.min(order.length, from + batch);
      lazy?.ensure(p, data, order, from, to);
      batchLossAndGrad(s, p, data, y, order, from, to, o.l2, g, ws);
      adam.step(p, g, learningRate(step++, schedule));
      ceSum += g.crossEntropy * (to - from);
      seen += to - from;
      o.onBatch?.((epoch + to / order.length) / o.maxEpochs);
    }
    if (timedOut) break;
    epoch++;
    const trainLoss = ceSum / Math.max(1, seen);
    let validLoss: number | null = null;
    if (o.valid) {
      const scores = score(predictProba(s, p, data, o.valid, ws), o.valid, y, s.classes);
      validLoss = scores.loss;
      if (!best || scores.loss < best.loss * (1 - MIN_IMPROVEMENT)) {
        best = scores;
        bestEpoch = epoch;
        sinceBest = 0;
        if (snapshot) copyParams(p, snapshot);
      } else sinceBest++;
    } else bestEpoch = epoch;
    const report = { epoch, trainLoss, validLoss };
    history.push(report);
    o.onEpoch?.(report);
    if (o.valid && sinceBest >= o.patience) break;
  }
  const params = snapshot && bestEpoch > 0 ? snapshot : p;
  return { params, epochs: epoch, bestEpoch: Math.max(bestEpoch, epoch > 0 ? 1 : 0), best, history, timedOut, ms: performance.now() - t0 };
}
