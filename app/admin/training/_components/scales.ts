/**
 * The little arithmetic of the run page's inline SVG charts: linear and logarithmic scales with readable ticks.
 * Pure, so the charts stay declarative.
 */
export interface Scale {
  (v: number): number;
  ticks: number[];
}

/** 1, 2 or 5 times a power of ten, about `count` steps across [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (hi <= lo) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  // Rounded to the step's own precision, so 0.30000000000000004 reads 0.3.
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toFixed(digits)));
  return out;
}

/** Maps [d0, d1] onto [r0, r1]; ticks are nice numbers inside the domain. */
export function linear([d0, d1]: [number, number], [r0, r1]: [number, number], count = 5): Scale {
  const span = d1 - d0 || 1;
  const s = ((v: number) => r0 + ((v - d0) / span) * (r1 - r0)) as Scale;
  s.ticks = niceTicks(d0, d1, count);
  return s;
}

/** Maps [d0, d1] (both > 0) onto [r0, r1] logarithmically; ticks at powers of `base` inside the domain. */
export function log([d0, d1]: [number, number], [r0, r1]: [number, number], base = 4): Scale {
  const l0 = Math.log(d0);
  const span = Math.log(d1) - l0 || 1;
  const s = ((v: number) => r0 + ((Math.log(v) - l0) / span) * (r1 - r0)) as Scale;
  s.ticks = [];
  for (let p = base ** Math.ceil(Math.log(d0) / Math.log(base) - 1e-9); p <= d1 * (1 + 1e-9); p *= base) s.ticks.push(p);
  return s;
}

/** [lo, hi] widened by a fraction of its span on each side (a single value gets a span of its own). */
export function padded(values: readonly number[], frac = 0.08, clamp?: [number, number]): [number, number] {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (!Number.isFinite(lo)) return clamp ?? [0, 1];
  const span = hi - lo || Math.abs(hi) * 0.1 || 1;
  lo -= span * frac;
  hi += span * frac;
  return clamp ? [Math.max(clamp[0], lo), Math.min(clamp[1], hi)] : [lo, hi];
}
