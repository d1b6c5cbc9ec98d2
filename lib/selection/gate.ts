/**
 * The regression gate in front of "make this variant the task default": the candidate must be no less accurate
 * than the current default (within an absolute tolerance) and no slower at p95, concurrency 1 (within a relative
 * tolerance), measured on this host under the same eval subset. Pure; lib/selection/promote.ts supplies the
 * figures (benchmarking first when they are missing or stale) and applies the outcome.
 *
 *   PARETO_GATE_ACCURACY_TOLERANCE (default 0.005): accepted accuracy loss, absolute (0.005 = half a point).
 *   PARETO_GATE_LATENCY_TOLERANCE  (default 0.10):  accepted p95 increase, relative (0.10 = 10 % slower).
 */
import { env } from "@/lib/config/env";

export interface GateFigures {
  model: string;
  accuracy: number | null;
  p95Ms: number | null;
}

export interface GateTolerances {
  /** Absolute accuracy the candidate may lose. */
  accuracy: number;
  /** Relative p95 increase the candidate may add. */
  latency: number;
}

export const DEFAULT_GATE_TOLERANCES: GateTolerances = { accuracy: 0.005, latency: 0.1 };

/** PARETO_GATE_ACCURACY_TOLERANCE / PARETO_GATE_LATENCY_TOLERANCE (parsed by lib/config/env, defaults as above). */
export function gateTolerancesFromEnv(): GateTolerances {
  return { accuracy: env.gateAccuracyTolerance(), latency: env.gateLatencyTolerance() };
}

export interface GateOutcome {
  ok: boolean;
  /** Refusal reasons when not ok; what was compared when ok. */
  reasons: string[];
}

const f3 = (v: number) => v.toFixed(3);
const f1 = (v: number) => v.toFixed(1);

export function evaluateGate(candidate: GateFigures, current: GateFigures | null, tol: GateTolerances = DEFAULT_GATE_TOLERANCES): GateOutcome {
  if (candidate.accuracy === null || candidate.p95Ms === null) {
    return { ok: false, reasons: [`${candidate.model} has no accuracy and p95 figures on this host; benchmark it first.`] };
  }
  if (!current || current.model === candidate.model) {
    return { ok: true, reasons: [current ? `${candidate.model} is already the default.` : "There is no current default to compare with."] };
  }
  if (current.accuracy === null || current.p95Ms === null) {
    return { ok: true, reasons: [`The current default ${current.model} has no figures on this host; nothing to regress from.`] };
  }
  const reasons: string[] = [];
  const minAccuracy = current.accuracy - tol.accuracy;
  const maxP95 = current.p95Ms * (1 + tol.latency);
  if (candidate.accuracy < minAccuracy) {
    reasons.push(`accuracy ${f3(candidate.accuracy)} is below the current default ${current.model}'s ${f3(current.accuracy)} by more than the tolerance ${tol.accuracy}`);
  }
  if (candidate.p95Ms > maxP95) {
    reasons.push(
      `p95 latency ${f1(candidate.p95Ms)} ms exceeds the current default ${current.model}'s ${f1(current.p95Ms)} ms by more than ${Math.round(tol.latency * 100)} %`,
    );
  }
  if (reasons.length) return { ok: false, reasons };
  return {
    ok: true,
    reasons: [
      `accuracy ${f3(candidate.accuracy)} vs ${f3(current.accuracy)} (≥ ${f3(minAccuracy)} required)`,
      `p95 ${f1(candidate.p95Ms)} ms vs ${f1(current.p95Ms)} ms (≤ ${f1(maxP95)} ms required)`,
    ],
  };
}
