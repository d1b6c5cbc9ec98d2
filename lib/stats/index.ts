/**
 * Descriptive statistics used by every figure Pareto shows: the usage dashboard (latency percentiles), the
 * selection runner (benchmark p50/p95/p99) and `npm run bench` (bench/RESULTS.md). One definition, so "p95" means
 * the same thing on /usage, on /selection and in RESULTS.md.
 *
 * Quantiles: linear interpolation between the closest ranks — Hyndman & Fan type 7, the default of R, NumPy
 * (`numpy.quantile`, method "linear"), Excel's PERCENTILE.INC and PostgreSQL's `percentile_cont`. For n sorted values
 * x[0..n-1] and 0 ≤ q ≤ 1: h = (n − 1)·q, Q(q) = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌈h⌉] − x[⌊h⌋]). So p50 of an even count is the
 * mean of the two middle values, p0 is the minimum and p100 the maximum.
 *
 * A pure leaf module: no imports, usable from lib/, bench/ and client code.
 */

/** The q-quantile (0 ≤ q ≤ 1) of values already sorted ascending; NaN for none. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile q must be between 0 and 1, got ${q}`);
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Ascending copy (the input is left alone). */
export function sortedAscending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** The q-quantile (0 ≤ q ≤ 1) of unsorted values; NaN for none. */
export function quantile(values: readonly number[], q: number): number {
  return quantileSorted(sortedAscending(values), q);
}

/** Several quantiles with one sort, e.g. `quantiles(xs, [0.5, 0.95, 0.99])`. */
export function quantiles(values: readonly number[], qs: readonly number[]): number[] {
  const s = sortedAscending(values);
  return qs.map((q) => quantileSorted(s, q));
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

export function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

/** Arithmetic mean; NaN for none. */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : sum(values) / values.length;
}

/** NaN → null, for figures that are stored or sent as JSON (where NaN is not a value). */
export function orNull(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}

export interface Summary {
  n: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  min: number;
  max: number;
}

/** Count, mean, min, max and the usual percentiles; NaN figures for no values. */
export function summarize(values: readonly number[]): Summary {
  const s = sortedAscending(values);
  const q = (p: number) => quantileSorted(s, p);
  return {
    n: s.length,
    mean: mean(s),
    p50: q(0.5),
    p90: q(0.9),
    p95: q(0.95),
    p99: q(0.99),
    min: s.length ? s[0] : Number.NaN,
    max: s.length ? s[s.length - 1] : Number.NaN,
  };
}
