/**
 * Adam with lazy (sparse) updates of the embedding table: a step updates the moments and values of only the rows of
 * E the mini-batch touched, plus the small dense parameters. Why: E holds buckets × D values (up to ~10 M) while a
 * batch of short texts touches a few thousand rows; dense Adam would decay every moment and move every value at every
 * step — O(buckets × D) per step, hundreds of times the batch's own work — and would keep pushing rows of features
 * absent from the batch along stale momentum. Lazy updates make a step cost what the batch touches (TensorFlow's
 * LazyAdam, PyTorch's SparseAdam). Bias correction uses the global step count.
 */
import { embedDim, type NetParams, type NetShape, type SparseGrad, type Vec } from "./net";

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;

function denseStep(p: Vec, g: Float64Array, m: Float64Array, v: Float64Array, step: number): void {
  for (let i = 0; i < p.length; i++) {
    const gi = g[i];
    m[i] = BETA1 * m[i] + (1 - BETA1) * gi;
    v[i] = BETA2 * v[i] + (1 - BETA2) * gi * gi;
    p[i] -= (step * m[i]) / (Math.sqrt(v[i]) + EPS);
  }
}

export class LazyAdam {
  private readonly D: number;
  private readonly mE: Float32Array;
  private readonly vE: Float32Array;
  private readonly dense: { m: Float64Array; v: Float64Array }[];
  private t = 0;

  constructor(s: NetShape, p: NetParams) {
    this.D = embedDim(s);
    this.mE = new Float32Array(p.E.length);
    this.vE = new Float32Array(p.E.length);
    this.dense = [p.b1, p.W2, p.b2].map((a) => ({ m: new Float64Array(a.length), v: new Float64Array(a.length) }));
  }

  /** Bytes of optimiser state (two moments per parameter). */
  get stateBytes(): number {
    return this.mE.byteLength + this.vE.byteLength;
  }

  step(p: NetParams, g: SparseGrad, lr: number): void {
    this.t++;
    // Bias correction folded into the step size (Kingma & Ba, section 2).
    const step = (lr * Math.sqrt(1 - BETA2 ** this.t)) / (1 - BETA1 ** this.t);
    const { D, mE, vE } = this;
    const E = p.E;
    const rg = g.rowGrad;
    for (let n = 0; n < g.nRows; n++) {
      const base = g.rows[n] * D;
      const gb = n * D;
      for (let d = 0; d < D; d++) {
        const gi = rg[gb + d];
        const i = base + d;
        const m = BETA1 * mE[i] + (1 - BETA1) * gi;
        const v = BETA2 * vE[i] + (1 - BETA2) * gi * gi;
        mE[i] = m;
        vE[i] = v;
        E[i] -= (step * m) / (Math.sqrt(v) + EPS);
      }
    }
    denseStep(p.b1, g.b1, this.dense[0].m, this.dense[0].v, step);
    denseStep(p.W2, g.W2, this.dense[1].m, this.dense[1].v, step);
    denseStep(p.b2, g.b2, this.dense[2].m, this.dense[2].v, step);
  }
}
