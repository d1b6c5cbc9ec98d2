/**
 * A fixed-window counter behind an interface, so the same policy code runs in-process (default) or on a shared
 * store when several instances serve one deployment.
 */
export interface WindowCounter {
  /** Adds `by` to the key's count in the current window and returns the new count and when the window resets. */
  hit(key: string, windowMs: number, by?: number): Promise<{ count: number; resetAt: number }>;
  peek(key: string, windowMs: number): Promise<{ count: number; resetAt: number }>;
  reset(key: string): Promise<void>;
}

export class MemoryWindowCounter implements WindowCounter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  private current(key: string, windowMs: number, now: number) {
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, w);
      if (this.windows.size > 50_000) this.sweep(now);
    }
    return w;
  }

  // Bounded memory: expired windows are dropped once the map grows.
  private sweep(now: number) {
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
  }

  async hit(key: string, windowMs: number, by = 1) {
    const w = this.current(key, windowMs, Date.now());
    w.count += by;
    return { ...w };
  }

  async peek(key: string, windowMs: number) {
    return { ...this.current(key, windowMs, Date.now()) };
  }

  async reset(key: string) {
    this.windows.delete(key);
  }
}

const globalForCounter = globalThis as unknown as { __paretoCounter?: WindowCounter };

export function windowCounter(): WindowCounter {
  globalForCounter.__paretoCounter ??= new MemoryWindowCounter();
  return globalForCounter.__paretoCounter;
}
