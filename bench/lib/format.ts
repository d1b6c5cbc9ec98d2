/** Number formatting shared by the suites, so every table prints the same way. */

export function fixed(v: number, digits = 1): string {
  return Number.isFinite(v) ? v.toFixed(digits) : "n/a";
}

/** 0.0123 → "1.23 %" */
export function pct(v: number, digits = 2): string {
  return Number.isFinite(v) ? `${(v * 100).toFixed(digits)} %` : "n/a";
}

/** A ratio as "2.41×". */
export function times(v: number, digits = 2): string {
  return Number.isFinite(v) ? `${v.toFixed(digits)}×` : "n/a";
}

/** A relative change as "+3.1 %" / "-0.4 %". */
export function signedPct(v: number, digits = 1): string {
  if (!Number.isFinite(v)) return "n/a";
  const s = (v * 100).toFixed(digits);
  return `${v >= 0 ? "+" : ""}${s} %`;
}

export function ms(v: number, digits = 1): string {
  return Number.isFinite(v) ? `${v.toFixed(digits)} ms` : "n/a";
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}
