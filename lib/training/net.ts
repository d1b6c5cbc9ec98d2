/**
 * The two networks over sparse hashed features, their forward pass and the exact gradient of a mini-batch objective.
 *
 *   x = Σ_l v_l · E[i_l]                       (a weighted sum of rows of the embedding table E [buckets, D])
 *   linear (multinomial logistic regression):  z = x + b1                       D = C
 *   mlp (one hidden layer):                    z = W2ᵀ relu(x + b1) + b2        D = H
 *   p = softmax(z);  loss = mean over the batch of −log p[y]  +  λ/2 (Σ_{rows of E the batch touches} ‖E_r‖² + ‖W2‖²)
 *
 * The L2 term covers the rows of E a batch uses (and the dense weights; biases are not regularised), as sparse
 * trainers do: the step costs what the batch touches, and a feature is pulled towards zero each time it is seen. The
 * function above is exactly what batchLossAndGrad differentiates (tests check it against finite differences).
 *
 * Arithmetic is in float64 (JS numbers) over float32 storage, which is what the exported ONNX graph holds; tests may
 * store parameters in a Float64Array to check gradients without float32 rounding.
 */
import type { TextModelKind } from "@/lib/models/text/spec";
import type { TextWeights } from "@/lib/models/text/graph";
import type { SparseRows } from "./sparse";

export type Vec = Float32Array | Float64Array;

export interface NetShape {
  kind: TextModelKind;
  buckets: number;
  classes: number;
  /** Hidden units of the mlp; 0 for linear. */
  hidden: number;
}

export interface NetParams {
  /** [buckets, D]. */
  E: Vec;
  /** [D]: the output bias of the linear model, the hidden bias of the mlp. */
  b1: Vec;
  /** [H, C] (mlp); empty for linear. */
  W2: Vec;
  /** [C] (mlp); empty for linear. */
  b2: Vec;
}

/** Width of E's rows. */
export function embedDim(s: NetShape): number {
  return s.kind === "linear" ? s.classes : s.hidden;
}

/** Number of trained parameters (what the "fastest" objective counts). */
export function paramCount(s: NetShape): number {
  const D = embedDim(s);
  return s.buckets * D + D + (s.kind === "mlp" ? s.hidden * s.classes + s.classes : 0);
}

export function zeroParams(s: NetShape, make: (n: number) => Vec = (n) => new Float32Array(n)): NetParams {
  const D = embedDim(s);
  const mlp = s.kind === "mlp";
  return { E: make(s.buckets * D), b1: make(D), W2: make(mlp ? s.hidden * s.classes : 0), b2: make(mlp ? s.classes : 0) };
}

/** The gradient of a batch: rows of E the batch touched (compactly), and the dense parameters. */
export class SparseGrad {
  readonly D: number;
  /** slot[r] is row r's place in `rows`/`rowGrad`, or -1. */
  private readonly slot: Int32Array;
  rows = new Int32Array(1024);
  rowGrad: Float64Array;
  nRows = 0;
  readonly b1: Float64Array;
  readonly W2: Float64Array;
  readonly b2: Float64Array;
  /** Mean cross-entropy of the last batch (the objective less its L2 term). */
  crossEntropy = 0;

  constructor(s: NetShape) {
    this.D = embedDim(s);
    this.slot = new Int32Array(s.buckets).fill(-1);
    this.rowGrad = new Float64Array(1024 * this.D);
    this.b1 = new Float64Array(this.D);
    this.W2 = new Float64Array(s.kind === "mlp" ? s.hidden * s.classes : 0);
    this.b2 = new Float64Array(s.kind === "mlp" ? s.classes : 0);
  }

  reset(): void {
    for (let i = 0; i < this.nRows; i++) this.slot[this.rows[i]] = -1;
    this.nRows = 0;
    this.b1.fill(0);
    this.W2.fill(0);
    this.b2.fill(0);
  }

  /** The slot of row r, claimed (and zeroed) on first use in this batch. */
  slotOf(r: number): number {
    const s = this.slot[r];
    if (s >= 0) return s;
    if (this.nRows === this.rows.length) {
      const rows = new Int32Array(this.rows.length * 2);
      rows.set(this.rows);
      this.rows = rows;
      const g = new Float64Array(rows.length * this.D);
      g.set(this.rowGrad);
      this.rowGrad = g;
    }
    const n = this.nRows++;
    this.rows[n] = r;
    this.slot[r] = n;
    this.rowGrad.fill(0, n * this.D, (n + 1) * this.D);
    return n;
  }
}

/** Per-example work buffers, allocated once per shape. */
export class Workspace {
  readonly x: Float64Array;
  readonly h: Float64Array;
  readonly z: Float64Array;
  readonly dx: Float64Array;
  constructor(s: NetShape) {
    const D = embedDim(s);
    this.x = new Float64Array(D);
    this.h = new Float64Array(s.hidden);
    this.z = new Float64Array(s.classes);
    this.dx = new Float64Array(D);
  }
}

/** Forward pass of one row: leaves the pre-activation in ws.x, the hidden layer in ws.h, probabilities in ws.z. */
function forwardRow(s: NetShape, p: NetParams, data: SparseRows, r: number, ws: Workspace): void {
  const D = embedDim(s);
  const C = s.classes;
  const { x, h, z } = ws;
  const E = p.E;
  for (let d = 0; d < D; d++) x[d] = p.b1[d];
  for (let k = data.indptr[r], end = data.indptr[r + 1]; k < end; k++) {
    const v = data.values[k];
    const base = data.indices[k] * D;
    for (let d = 0; d < D; d++) x[d] += v * E[base + d];
  }
  if (s.kind === "linear") {
    for (let c = 0; c < C; c++) z[c] = x[c];
  } else {
    const H = s.hidden;
    for (let j = 0; j < H; j++) h[j] = x[j] > 0 ? x[j] : 0;
    for (let c = 0; c < C; c++) z[c] = p.b2[c];
    for (let j = 0; j < H; j++) {
      const hj = h[j];
      if (hj === 0) continue;
      const base = j * C;
      for (let c = 0; c < C; c++) z[c] += hj * p.W2[base + c];
    }
  }
  let max = -Infinity;
  for (let c = 0; c < C; c++) if (z[c] > max) max = z[c];
  let sum = 0;
  for (let c = 0; c < C; c++) {
    z[c] = Math.exp(z[c] - max);
    sum += z[c];
  }
  for (let c = 0; c < C; c++) z[c] /= sum;
}

/** Class probabilities [rows.length, C] of the given rows. */
export function predictProba(s: NetShape, p: NetParams, data: SparseRows, rows: Int32Array, ws = new Workspace(s)): Float64Array {
  const C = s.classes;
  const out = new Float64Array(rows.length * C);
  rows.forEach((r, i) => {
    forwardRow(s, p, data, r, ws);
    out.set(ws.z, i * C);
  });
  return out;
}

/**
 * The batch objective (see the top of the file) of rows batch[from..to) and its gradient, written into g.
 * Returns the objective; g.crossEntropy gets its cross-entropy part.
 */
export function batchLossAndGrad(s: NetShape, p: NetParams, data: SparseRows, y: Int32Array, batch: Int32Array, from: number, to: number, l2: number, g: SparseGrad, ws: Workspace): number {
  const D = embedDim(s);
  const C = s.classes;
  const H = s.hidden;
  const inv = 1 / (to - from);
  const { x, h, z, dx } = ws;
  g.reset();
  let ce = 0;
  for (let i = from; i < to; i++) {
    const r = batch[i];
    forwardRow(s, p, data, r, ws);
    const truth = y[r];
    ce -= Math.log(Math.max(z[truth], 1e-300));
    // dLoss/dz = (p − onehot(y)) / batch size; z is overwritten with it.
    for (let c = 0; c < C; c++) z[c] = (z[c] - (c === truth ? 1 : 0)) * inv;
    if (s.kind === "linear") {
      for (let c = 0; c < C; c++) dx[c] = z[c];
    } else {
      for (let c = 0; c < C; c++) g.b2[c] += z[c];
      for (let j = 0; j < H; j++) {
        const base = j * C;
        let dh = 0;
        for (let c = 0; c < C; c++) {
          g.W2[base + c] += h[j] * z[c];
          dh += p.W2[base + c] * z[c];
        }
        dx[j] = x[j] > 0 ? dh : 0;
      }
    }
    for (let d = 0; d < D; d++) g.b1[d] += dx[d];
    for (let k = data.indptr[r], end = data.indptr[r + 1]; k < end; k++) {
      const v = data.values[k];
      const base = g.slotOf(data.indices[k]) * D;
      const rg = g.rowGrad;
      for (let d = 0; d < D; d++) rg[base + d] += v * dx[d];
    }
  }
  ce *= inv;
  g.crossEntropy = ce;
  let reg = 0;
  if (l2 > 0) {
    const E = p.E;
    for (let n = 0; n < g.nRows; n++) {
      const base = g.rows[n] * D;
      const gb = n * D;
      for (let d = 0; d < D; d++) {
        const w = E[base + d];
        reg += w * w;
        g.rowGrad[gb + d] += l2 * w;
      }
    }
    for (let i = 0; i < p.W2.length; i++) {
      const w = p.W2[i];
      reg += w * w;
      g.W2[i] += l2 * w;
    }
  }
  return ce + 0.5 * l2 * reg;
}

/** The weights as the ONNX graph wants them (float32; storage is shared when it already is). */
export function toTextWeights(s: NetShape, p: NetParams): TextWeights {
  const f32 = (v: Vec) => (v instanceof Float32Array ? v : Float32Array.from(v));
  if (s.kind === "linear") return { kind: "linear", W: f32(p.E), b: f32(p.b1) };
  return { kind: "mlp", hidden: s.hidden, W1: f32(p.E), b1: f32(p.b1), W2: f32(p.W2), b2: f32(p.b2) };
}
