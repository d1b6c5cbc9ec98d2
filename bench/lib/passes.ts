/**
 * Timed passes. The benchmark machine is shared (other builds and tests run on it), and outside load can only
 * ever slow a pass down, so suites time several interleaved passes per system and report the fastest, with how
 * much CPU other processes took meanwhile. Every system, ours and the peers', gets the same treatment.
 */
import { cpuWatch } from "./cpu";

export interface Pass {
  wallMs: number;
  /** CPU seconds this process used during the pass (all threads). */
  selfCpuS: number;
  /** Share of the machine's cores used by other processes during the pass. */
  foreignShare: number;
}

export async function measure<T>(fn: () => Promise<T>): Promise<{ value: T; pass: Pass }> {
  const w = cpuWatch();
  const value = await fn();
  const r = w.stop();
  return { value, pass: { wallMs: r.wallS * 1000, selfCpuS: r.selfCpuS, foreignShare: r.foreignShare } };
}

/** The fastest pass. */
export function fastest(passes: readonly Pass[]): Pass {
  return passes.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
}

/** "3–41 %": the range of outside load over a set of passes, for a table note. */
export function foreignRange(passes: readonly Pass[]): string {
  const v = passes.map((p) => p.foreignShare).filter(Number.isFinite);
  if (v.length === 0) return "n/a";
  const lo = Math.round(Math.min(...v) * 100);
  const hi = Math.round(Math.max(...v) * 100);
  return lo === hi ? `${lo} %` : `${lo}–${hi} %`;
}
