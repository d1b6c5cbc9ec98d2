import { describe, expect, it } from "vitest";
import { batchLossAndGrad, embedDim, paramCount, SparseGrad, Workspace, zeroParams, type NetParams, type NetShape } from "@/lib/training/net";
import { mulberry32 } from "@/lib/training/random";
import type { SparseRows } from "@/lib/training/sparse";

/** Six rows over 16 buckets (bucket 15 is never used: its gradient must be exactly zero, L2 or not). */
function tinyData(): { data: SparseRows; y: Int32Array } {
  const rows = [
    [[0, 0.6], [3, 0.8]],
    [[1, 1]],
    [[2, 0.3], [3, 0.4], [7, 0.866]],
    [[4, 0.5], [5, 0.5], [6, 0.7071]],
    [[8, 1]],
    [[9, 0.6], [14, 0.8]],
  ] as [number, number][][];
  const indptr = new Int32Array(rows.length + 1);
  rows.forEach((r, i) => (indptr[i + 1] = indptr[i] + r.length));
  return {
    data: { n: rows.length, indptr, indices: Int32Array.from(rows.flat().map(([i]) => i)), values: Float32Array.from(rows.flat().map(([, v]) => v)) },
    y: Int32Array.of(0, 1, 2, 1, 0, 2),
  };
}

function randomParams(s: NetShape, seed: number): NetParams {
  const rng = mulberry32(seed);
  const p = zeroParams(s, (n) => new Float64Array(n));
  for (const v of [p.E, p.b1, p.W2, p.b2]) for (let i = 0; i < v.length; i++) v[i] = (rng() * 2 - 1) * 0.8;
  return p;
}

/** Analytic gradient (dense, from the sparse rows) vs central finite differences, for every parameter. */
function gradientCheck(s: NetShape, l2: number): number {
  const { data, y } = tinyData();
  const p = randomParams(s, 11);
  const batch = Int32Array.from({ length: data.n }, (_, i) => i);
  const g = new SparseGrad(s);
  const ws = new Workspace(s);
  const objective = () => batchLossAndGrad(s, p, data, y, batch, 0, batch.length, l2, new SparseGrad(s), ws);
  batchLossAndGrad(s, p, data, y, batch, 0, batch.length, l2, g, ws);
  const D = embedDim(s);
  const dE = new Float64Array(p.E.length);
  for (let n = 0; n < g.nRows; n++) for (let d = 0; d < D; d++) dE[g.rows[n] * D + d] = g.rowGrad[n * D + d];
  const pairs: [Float64Array | Float32Array, Float64Array][] = [
    [p.E, dE],
    [p.b1, g.b1],
    [p.W2, g.W2],
    [p.b2, g.b2],
  ];
  let worst = 0;
  let checked = 0;
  const h = 1e-6;
  for (const [param, grad] of pairs) {
    for (let i = 0; i < param.length; i++) {
      const keep = param[i];
      param[i] = keep + h;
      const up = objective();
      param[i] = keep - h;
      const down = objective();
      param[i] = keep;
      const numeric = (up - down) / (2 * h);
      worst = Math.max(worst, Math.abs(numeric - grad[i]) / Math.max(1e-3, Math.abs(numeric) + Math.abs(grad[i])));
      checked++;
    }
  }
  expect(checked).toBe(paramCount(s));
  // The never-used bucket: no gradient at all.
  for (let d = 0; d < D; d++) expect(dE[15 * D + d]).toBe(0);
  return worst;
}

describe("batchLossAndGrad equals finite differences of the batch objective", () => {
  it.each([
    ["linear", 0],
    ["linear", 0.05],
    ["mlp", 0],
    ["mlp", 0.05],
  ] as const)("%s, L2 %s", (kind, l2) => {
    const s: NetShape = { kind, buckets: 16, classes: 3, hidden: kind === "mlp" ? 5 : 0 };
    expect(gradientCheck(s, l2)).toBeLessThan(1e-6);
  });

  it("a wrong gradient would be caught: the check is sensitive (L2 changes the gradient it verifies)", () => {
    const s: NetShape = { kind: "linear", buckets: 16, classes: 3, hidden: 0 };
    const { data, y } = tinyData();
    const p = randomParams(s, 11);
    const batch = Int32Array.from({ length: data.n }, (_, i) => i);
    const [a, b] = [new SparseGrad(s), new SparseGrad(s)];
    const ws = new Workspace(s);
    const la = batchLossAndGrad(s, p, data, y, batch, 0, 6, 0, a, ws);
    const lb = batchLossAndGrad(s, p, data, y, batch, 0, 6, 0.05, b, ws);
    expect(lb).toBeGreaterThan(la);
    expect(Math.max(...Array.from(a.rowGrad.subarray(0, 3 * a.nRows), (v, i) => Math.abs(v - b.rowGrad[i])))).toBeGreaterThan(1e-3);
    // Cross-entropy part is reported apart from the L2 term.
    expect(b.crossEntropy).toBeCloseTo(la, 12);
  });
});
