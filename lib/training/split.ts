/**
 * Stratified splits: every label keeps its share in each part, so a rare label is measured (and trained on) at all.
 * Rows are indices into the dataset; the order within a part is by row index, so what a later shuffle sees does not
 * depend on how the split was drawn.
 */
import { shuffleInPlace, type Rng } from "./random";

function byLabel(rows: Int32Array, y: Int32Array, classes: number, rng: Rng): Int32Array[] {
  const groups: number[][] = Array.from({ length: classes }, () => []);
  for (const r of rows) groups[y[r]].push(r);
  return groups.map((g) => shuffleInPlace(Int32Array.from(g), rng));
}

const sorted = (a: number[]) => Int32Array.from(a).sort();

/**
 * Holds out `fraction` of each label (at least one row of a label that has two or more, never all of them), with
 * at most `maxHoldout` rows in all (taken proportionally): a huge dataset needs no huge hold-out.
 */
export function stratifiedHoldout(rows: Int32Array, y: Int32Array, classes: number, fraction: number, rng: Rng, maxHoldout = Infinity): { train: Int32Array; holdout: Int32Array } {
  const f = Math.min(fraction, maxHoldout / Math.max(1, rows.length));
  const train: number[] = [];
  const holdout: number[] = [];
  for (const g of byLabel(rows, y, classes, rng)) {
    const k = g.length < 2 ? 0 : Math.min(g.length - 1, Math.max(1, Math.round(g.length * f)));
    g.forEach((r, i) => (i < k ? holdout : train).push(r));
  }
  return { train: sorted(train), holdout: sorted(holdout) };
}

/** k stratified folds: fold i validates on every k-th row of each shuffled label group and trains on the rest. */
export function stratifiedFolds(rows: Int32Array, y: Int32Array, classes: number, k: number, rng: Rng): { train: Int32Array; valid: Int32Array }[] {
  const fold = new Map<number, number>();
  let offset = 0;
  for (const g of byLabel(rows, y, classes, rng)) {
    // Continue the round-robin across labels so small labels do not all land in fold 0.
    g.forEach((r, i) => fold.set(r, (offset + i) % k));
    offset = (offset + g.length) % k;
  }
  return Array.from({ length: k }, (_, f) => {
    const train: number[] = [];
    const valid: number[] = [];
    for (const r of rows) (fold.get(r) === f ? valid : train).push(r);
    return { train: sorted(train), valid: sorted(valid) };
  });
}
