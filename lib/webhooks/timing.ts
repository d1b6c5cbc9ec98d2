/**
 * When attempts happen: the back-off after each failed attempt, how long a delivery keeps trying, how long one
 * attempt may take and how often the dispatcher looks for due work. One object so tests can shrink it
 * (`setWebhookTimingForTests`) without an environment variable.
 */

/** Waits after the 1st, 2nd, … failed attempt; the last one repeats (the cap). */
const BACKOFF_MS = [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000] as const;

export interface WebhookTiming {
  /** Multiplies every back-off step (1 in production). */
  backoffScale: number;
  /** A delivery keeps retrying until this long after it was created, then ends `failed`. */
  windowMs: number;
  /** One attempt: connect, send and the response headers. */
  attemptTimeoutMs: number;
  /** How often an idle dispatcher looks for due deliveries (enqueues in this process wake it at once). */
  pollMs: number;
  /** A claimed delivery's lease: longer than an attempt, so only an instance that died loses it. */
  leaseMs: number;
}

const DEFAULTS: WebhookTiming = { backoffScale: 1, windowMs: 24 * 3_600_000, attemptTimeoutMs: 10_000, pollMs: 1_000, leaseMs: 60_000 };

let current: WebhookTiming = { ...DEFAULTS };

export function timing(): WebhookTiming {
  return current;
}

/** Tests only: shorter waits. Pass nothing to restore the defaults. */
export function setWebhookTimingForTests(t: Partial<WebhookTiming> = {}): void {
  current = { ...DEFAULTS, ...t };
}

/** The wait after failed attempt number `attempt` (1-based). */
export function backoffMs(attempt: number, scale = current.backoffScale): number {
  const i = Math.min(Math.max(attempt, 1), BACKOFF_MS.length) - 1;
  return Math.round(BACKOFF_MS[i] * scale);
}

/** When to try again after failed attempt `attempt`, or null when that would be past the delivery's window. */
export function nextAttemptAt(createdAt: Date, attempt: number, now: Date, t: WebhookTiming = current): Date | null {
  const next = now.getTime() + backoffMs(attempt, t.backoffScale);
  return next > createdAt.getTime() + t.windowMs ? null : new Date(next);
}
