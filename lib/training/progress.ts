/** Progress for the caller, throttled (≤ 5 a second) and never going backwards. */
import type { TrainProgress } from "./types";

const MIN_INTERVAL_MS = 200;

export class ProgressReporter {
  private last = -Infinity;
  private fraction = 0;

  constructor(private readonly sink?: (p: TrainProgress) => void) {}

  report(p: TrainProgress, force = false): void {
    if (!this.sink) return;
    this.fraction = Math.max(this.fraction, Math.min(1, p.fraction));
    const now = performance.now();
    if (!force && now - this.last < MIN_INTERVAL_MS) return;
    this.last = now;
    this.sink({ ...p, fraction: this.fraction });
  }
}
