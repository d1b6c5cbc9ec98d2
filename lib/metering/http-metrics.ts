/**
 * In-process counters for the Prometheus endpoint, fed by the metered wrapper (one call per request). Each
 * instance exposes its own series; Prometheus sums across instances.
 */
export const HTTP_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;

interface Hist {
  counts: number[];
  sum: number;
  count: number;
}

class HttpMetrics {
  readonly requests = new Map<string, number>();
  readonly durations = new Map<string, Hist>();
  readonly rejections = new Map<string, number>();
  computeMs = new Map<string, number>();
  /** Requests without a valid key, by route and reason (the error code): counted here, never stored as rows. */
  readonly unauthenticated = new Map<string, number>();

  recordUnauthenticated(route: string, reason: string): void {
    const k = JSON.stringify([route, reason]);
    this.unauthenticated.set(k, (this.unauthenticated.get(k) ?? 0) + 1);
  }

  record(e: { route: string; modelId: string | null; status: number; errorCode: string | null; latencyMs: number; computeMs: number }): void {
    const k = JSON.stringify([e.route, e.modelId ?? "", String(e.status)]);
    this.requests.set(k, (this.requests.get(k) ?? 0) + 1);
    let h = this.durations.get(e.route);
    if (!h) this.durations.set(e.route, (h = { counts: HTTP_BUCKETS_S.map(() => 0), sum: 0, count: 0 }));
    const s = e.latencyMs / 1000;
    h.sum += s;
    h.count++;
    HTTP_BUCKETS_S.forEach((b, i) => s <= b && h!.counts[i]++);
    if (e.errorCode === "rate_limited" || e.errorCode === "quota_exceeded" || e.errorCode === "quota_held") {
      this.rejections.set(e.errorCode, (this.rejections.get(e.errorCode) ?? 0) + 1);
    }
    if (e.modelId && e.computeMs > 0) this.computeMs.set(e.modelId, (this.computeMs.get(e.modelId) ?? 0) + e.computeMs);
  }
}

const g = globalThis as unknown as { __paretoHttpMetrics?: HttpMetrics };

export function httpMetrics(): HttpMetrics {
  g.__paretoHttpMetrics ??= new HttpMetrics();
  return g.__paretoHttpMetrics;
}
