import "server-only";
import fs from "node:fs";

/**
 * How late this instance's main thread runs: a timer due every TICK_MS measures how far past its due time it fires,
 * into a histogram that /api/metrics exports as `pareto_event_loop_lag_seconds`. A stall there (a synchronous call
 * on the event loop) delays every request this instance is handling, whatever their model. Cumulative, so a
 * scraper or the benchmark diffs two readings to see one interval.
 */
export const LAG_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] as const;
const TICK_MS = 10;

export interface LagHistogram {
  counts: number[];
  sum: number;
  count: number;
  max: number;
}

const g = globalThis as unknown as { __paretoLag?: { hist: LagHistogram; timer: NodeJS.Timeout } };

/** Starts measuring (once per process; lib/boot calls it). */
export function startLagMonitor(): void {
  if (g.__paretoLag) return;
  const hist: LagHistogram = { counts: LAG_BUCKETS_S.map(() => 0), sum: 0, count: 0, max: 0 };
  let due = performance.now() + TICK_MS;
  const timer = setInterval(() => {
    const now = performance.now();
    const lagS = Math.max(0, now - due) / 1000;
    due = now + TICK_MS;
    hist.count++;
    hist.sum += lagS;
    if (lagS > hist.max) hist.max = lagS;
    for (let i = 0; i < LAG_BUCKETS_S.length; i++) if (lagS <= LAG_BUCKETS_S[i]) hist.counts[i]++;
  }, TICK_MS);
  timer.unref();
  g.__paretoLag = { hist, timer };
}

/** The histogram so far (buckets cumulative, as Prometheus wants them), or null before the monitor started. */
export function lagHistogram(): LagHistogram | null {
  return g.__paretoLag?.hist ?? null;
}

/** Linux reports thread times in USER_HZ ticks, 100 per second on every architecture Node runs on. */
const CLOCK_TICKS = 100;

/**
 * CPU time this process's main thread has used (user + system, seconds), from /proc on Linux; null elsewhere. The
 * main thread runs every request's HTTP, routing, authentication and metering while the workers run the models: its
 * CPU per request is the API path's own cost, and its ceiling (one core) bounds what one instance can serve.
 */
export function mainThreadCpuSeconds(): number | null {
  try {
    // The main thread's id is the process id. Fields after the parenthesised name: utime and stime are 14 and 15.
    const stat = fs.readFileSync(`/proc/${process.pid}/task/${process.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
