/**
 * Metrics hooks: per-model queue wait, compute time, worker time and batch sizes, kept as cheap running totals
 * and fixed-bucket histograms. The /metrics endpoint and the selection router read these; listeners can
 * subscribe for per-request events.
 */
import { quantile } from "@/lib/stats";
import type { RunStats } from "./worker/protocol";

export const LATENCY_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] as const;
export const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32] as const;

export interface Histogram {
  buckets: readonly number[];
  counts: number[];
  sum: number;
  count: number;
}

function histogram(buckets: readonly number[]): Histogram {
  return { buckets, counts: buckets.map(() => 0), sum: 0, count: 0 };
}

function observe(h: Histogram, v: number): void {
  h.sum += v;
  h.count++;
  for (let i = 0; i < h.buckets.length; i++) if (v <= h.buckets[i]) h.counts[i]++;
}

export interface ModelMetrics {
  requests: number;
  rejected: number;
  computeMsTotal: number;
  queueMs: Histogram;
  totalMs: Histogram;
  /** Recent total latencies (ring buffer) for p50/p95 on dashboards. */
  recent: number[];
}

export interface RequestEvent {
  modelId: string;
  /** Background requests (jobs) are kept apart from the interactive figures dashboards and routing read. */
  priority: "interactive" | "background";
  queueMs: number;
  totalMs: number;
  stats: RunStats;
}

const RECENT = 256;

type Priority = RequestEvent["priority"];

export class RuntimeMetrics {
  /** Interactive requests per model: what latency dashboards, /metrics and the selection router read. */
  readonly models = new Map<string, ModelMetrics>();
  /** Background requests (jobs' pages and chunks) per model, apart: a 60 s chunk is not an API request's latency. */
  readonly background = new Map<string, ModelMetrics>();
  readonly batchSizes = new Map<string, Histogram>();
  workerCrashes = 0;
  /** Requests the worker threads say they are running now, and the most they ever ran at once. */
  workerRunning = 0;
  workerRunningPeak = 0;
  /** Compute the workers say they spent, on every request they started (served, failed or abandoned). */
  workerComputeMsTotal = 0;
  private readonly workers = new Map<number, { running: number; computeMsTotal: number }>();
  private readonly listeners = new Set<(e: RequestEvent) => void>();

  private model(id: string, priority: Priority = "interactive"): ModelMetrics {
    const map = priority === "background" ? this.background : this.models;
    let m = map.get(id);
    if (!m) {
      m = { requests: 0, rejected: 0, computeMsTotal: 0, queueMs: histogram(LATENCY_BUCKETS_MS), totalMs: histogram(LATENCY_BUCKETS_MS), recent: [] };
      map.set(id, m);
    }
    return m;
  }

  request(modelId: string, queueMs: number, stats: RunStats, totalMs: number, priority: Priority = "interactive"): void {
    const m = this.model(modelId, priority);
    m.requests++;
    m.computeMsTotal += stats.computeMs;
    observe(m.queueMs, queueMs);
    observe(m.totalMs, totalMs);
    m.recent.push(totalMs);
    if (m.recent.length > RECENT) m.recent.shift();
    for (const b of stats.batches) {
      let h = this.batchSizes.get(b.weightKey);
      if (!h) this.batchSizes.set(b.weightKey, (h = histogram(BATCH_BUCKETS)));
      observe(h, b.size);
    }
    for (const l of this.listeners) l({ modelId, priority, queueMs, totalMs, stats });
  }

  /**
   * A worker's own report (sent as each request starts and ends). `computeMsTotal` is cumulative per worker; -1
   * means the worker died, and its figures are kept in the totals but it runs nothing any more.
   */
  workerBusy(workerId: number, running: number, computeMsTotal: number): void {
    const last = this.workers.get(workerId) ?? { running: 0, computeMsTotal: 0 };
    if (computeMsTotal < 0) {
      this.workers.delete(workerId);
    } else {
      this.workerComputeMsTotal += Math.max(0, computeMsTotal - last.computeMsTotal);
      this.workers.set(workerId, { running, computeMsTotal });
    }
    let sum = 0;
    for (const w of this.workers.values()) sum += w.running;
    this.workerRunning = sum;
    this.workerRunningPeak = Math.max(this.workerRunningPeak, sum);
  }

  rejected(modelId: string, priority: Priority = "interactive"): void {
    this.model(modelId, priority).rejected++;
  }

  meanComputeMs(modelId: string): number {
    const m = this.models.get(modelId);
    return m && m.requests ? m.computeMsTotal / m.requests : 0;
  }

  /** The q-quantile (0..1) of recent end-to-end latencies, or undefined before any request. */
  recentQuantile(modelId: string, q: number): number | undefined {
    const r = this.models.get(modelId)?.recent;
    if (!r?.length) return undefined;
    return quantile(r, q);
  }

  onRequest(listener: (e: RequestEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
