/**
 * Learning rate by step: linear warm-up (Adam's early moment estimates are noisy, and a large first step on a fresh
 * row overshoots), then cosine decay to a small floor over the whole planned run. The plan is in epochs of the
 * search run, so a retrain that stops at the search's best epoch follows the same curve up to that point.
 */
export interface Schedule {
  peak: number;
  warmupSteps: number;
  totalSteps: number;
  /** Fraction of the peak left at the end. */
  floor: number;
}

export function learningRate(step: number, s: Schedule): number {
  if (step < s.warmupSteps) return (s.peak * (step + 1)) / s.warmupSteps;
  const span = Math.max(1, s.totalSteps - s.warmupSteps);
  const progress = Math.min(1, (step - s.warmupSteps) / span);
  return s.peak * (s.floor + (1 - s.floor) * 0.5 * (1 + Math.cos(Math.PI * progress)));
}
