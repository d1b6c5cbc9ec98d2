import "server-only";
/**
 * Closed-loop load through the runtime: `concurrency` callers each send their next request as soon as the
 * previous one answers, until `samples` requests have been sent. Latency is the runtime's end-to-end time
 * (queue wait + worker time), the figure a client sees minus HTTP.
 */
import type { RunResult } from "@/lib/runtime";

export interface LoadResult {
  latenciesMs: number[];
  computeMs: number[];
  errors: number;
  /** First error message, for the run's record. */
  firstError?: string;
  wallMs: number;
}

export async function closedLoop(
  send: (i: number) => Promise<RunResult>,
  concurrency: number,
  samples: number,
  opts: { signal?: AbortSignal; onProgress?: (done: number) => void } = {},
): Promise<LoadResult> {
  const out: LoadResult = { latenciesMs: [], computeMs: [], errors: 0, wallMs: 0 };
  let next = 0;
  let done = 0;
  const t0 = performance.now();
  const caller = async () => {
    while (next < samples && !opts.signal?.aborted) {
      const i = next++;
      try {
        const r = await send(i);
        out.latenciesMs.push(r.totalMs);
        out.computeMs.push(r.stats.computeMs);
      } catch (e) {
        if (opts.signal?.aborted) return;
        out.errors++;
        out.firstError ??= e instanceof Error ? e.message : String(e);
      }
      opts.onProgress?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, samples) }, caller));
  out.wallMs = performance.now() - t0;
  return out;
}

/** Samples the process's RSS (main thread + inference worker threads) and keeps the peak. */
export class RssSampler {
  peak = 0;
  private timer?: NodeJS.Timeout;
  start(intervalMs = 20): this {
    this.peak = process.memoryUsage().rss;
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
    return this;
  }
  sample(): number {
    const rss = process.memoryUsage().rss;
    if (rss > this.peak) this.peak = rss;
    return rss;
  }
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }
}
