/**
 * When to restart inference workers that keep dying, and when to stop pretending the pool can serve. Pure policy
 * (the clock is injected) so it is tested without threads; lib/runtime/worker-pool.ts applies it.
 *
 * A worker that dies before it reported "ready", or within `stableMs` of it, died *early*: its start is what fails
 * (a missing or broken bundle, ONNX Runtime that does not load). Early deaths in a row are restarted after
 * `baseMs`, then twice as long each time, up to `maxMs` — never in a tight loop — and after `tripAfter` of them the
 * breaker is open: the pool reports itself down with the last reason, so models show FAILED and readiness fails,
 * until a worker starts again. A worker that had been up a while and then died (a fault mid-request) is replaced at
 * once, as before, and starts a new count.
 */

/** Exponential back-off: attempt 1 waits `baseMs`, each next one twice as long, never more than `maxMs`. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  if (attempt <= 0) return 0;
  return Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 30));
}

export interface CrashLoopOptions {
  /** First restart delay after an early death. */
  baseMs: number;
  /** Longest restart delay. */
  maxMs: number;
  /** Early deaths in a row that open the breaker. */
  tripAfter: number;
  /** A worker up this long after "ready" was healthy: its death is not part of a crash loop. */
  stableMs: number;
}

export const CRASH_LOOP_DEFAULTS: CrashLoopOptions = { baseMs: 200, maxMs: 30_000, tripAfter: 5, stableMs: 10_000 };

export interface BreakerOpen {
  reason: string;
  since: number;
  /** Early deaths in a row so far. */
  deaths: number;
}

export class CrashLoop {
  private streak = 0;
  private tripped?: BreakerOpen;

  constructor(
    private readonly opts: CrashLoopOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * A worker died; `readyAt` is when it reported ready (undefined: it never did). Returns how long to wait before
   * starting its replacement.
   */
  died(readyAt: number | undefined, reason: string): number {
    const now = this.now();
    if (readyAt !== undefined && now - readyAt >= this.opts.stableMs) {
      this.streak = 0;
      return 0;
    }
    this.streak++;
    if (this.tripped) this.tripped = { ...this.tripped, reason, deaths: this.streak };
    else if (this.streak >= this.opts.tripAfter) this.tripped = { reason, since: now, deaths: this.streak };
    return backoffMs(this.streak, this.opts.baseMs, this.opts.maxMs);
  }

  /**
   * A worker reported ready: the pool can serve again, so the breaker closes. The count of early deaths stays until
   * a worker has stayed up `stableMs` (see died), so a worker that starts and dies at once keeps backing off.
   */
  started(): void {
    this.tripped = undefined;
  }

  /** Set while the breaker is open: workers keep dying at start. */
  get open(): BreakerOpen | undefined {
    return this.tripped;
  }

  get consecutiveDeaths(): number {
    return this.streak;
  }
}
