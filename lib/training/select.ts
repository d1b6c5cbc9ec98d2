/**
 * Choosing among measured candidates by the run's objective, and keeping only the frontier-worthy ones.
 *   most_accurate: highest accuracy, then macro-F1, then lower log loss.
 *   fastest:       among those within 1 point of the best accuracy, the fewest parameters (then bytes) — cost at
 *                  serving time is the gathered rows × their width plus the head, which parameters track.
 *   balanced:      the smallest file among those statistically tied with the most accurate — within one standard
 *                  error of its hold-out accuracy, √(a(1−a)/n) (≈ 0.35 points for 98 % on 900 rows): a difference the
 *                  hold-out cannot tell from noise does not pay for a bigger, slower model; a real one does.
 */
import type { Objective } from "./types";

export interface Measured {
  name: string;
  accuracy: number;
  macroF1: number;
  loss: number;
  params: number;
  bytes: number;
}

const FASTEST_TOLERANCE = 0.01;
/** Accuracies this close are equal (float noise from different summation orders). */
const EPS = 1e-9;

function byAccuracy(a: Measured, b: Measured): number {
  return b.accuracy - a.accuracy || b.macroF1 - a.macroF1 || a.loss - b.loss || a.params - b.params || a.name.localeCompare(b.name);
}

/** All candidates, best first by the objective; `holdoutRows` is the number of rows the accuracies were measured on. */
export function rankByObjective<T extends Measured>(items: readonly T[], objective: Objective, holdoutRows: number): T[] {
  const sorted = [...items].sort(byAccuracy);
  if (objective === "most_accurate" || sorted.length === 0) return sorted;
  const top = sorted[0].accuracy;
  const tolerance = objective === "fastest" ? FASTEST_TOLERANCE : Math.sqrt((top * (1 - top)) / Math.max(1, holdoutRows));
  const near = sorted.filter((m) => m.accuracy >= top - tolerance - EPS);
  const rest = sorted.filter((m) => m.accuracy < top - tolerance - EPS);
  const cheap = objective === "fastest" ? (a: T, b: T) => a.params - b.params || a.bytes - b.bytes || byAccuracy(a, b) : (a: T, b: T) => a.bytes - b.bytes || byAccuracy(a, b);
  return [...near.sort(cheap), ...rest];
}

/**
 * Drops candidates another one beats on both axes (at least as accurate and no larger, better on one), keeping at
 * least `keepAtLeast` (the best-ranked survivors first).
 */
export function frontier<T extends Measured>(ranked: readonly T[], keepAtLeast = 2): T[] {
  const dominated = (m: T) => ranked.some((o) => o !== m && o.accuracy >= m.accuracy - EPS && o.bytes <= m.bytes && (o.accuracy > m.accuracy + EPS || o.bytes < m.bytes));
  const kept = ranked.filter((m) => !dominated(m));
  for (const m of ranked) {
    if (kept.length >= keepAtLeast) break;
    if (!kept.includes(m)) kept.push(m);
  }
  return ranked.filter((m) => kept.includes(m));
}
