import "server-only";
import { passwordChecks } from "@/lib/auth/password";
import { principalCacheStats } from "@/lib/keys/principal-store";
import { getRuntime } from "@/lib/runtime";
import { LAG_BUCKETS_S, lagHistogram, mainThreadCpuSeconds } from "./event-loop-lag";
import { HTTP_BUCKETS_S, httpMetrics } from "./http-metrics";
import { quotaLeases } from "./quota-leases";
import { usageWriter } from "./usage";

/** Renders every Pareto metric in the Prometheus text exposition format (version 0.0.4). */
function esc(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function labels(l: Record<string, string>): string {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${esc(v)}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

class Out {
  private readonly lines: string[] = [];
  family(name: string, type: "counter" | "gauge" | "histogram", help: string) {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  }
  sample(name: string, l: Record<string, string>, v: number) {
    this.lines.push(`${name}${labels(l)} ${Number.isFinite(v) ? v : 0}`);
  }
  histogram(name: string, l: Record<string, string>, buckets: readonly number[], counts: number[], sum: number, count: number) {
    buckets.forEach((b, i) => this.sample(`${name}_bucket`, { ...l, le: String(b) }, counts[i]));
    this.sample(`${name}_bucket`, { ...l, le: "+Inf" }, count);
    this.sample(`${name}_sum`, l, sum);
    this.sample(`${name}_count`, l, count);
  }
  text() {
    return `${this.lines.join("\n")}\n`;
  }
}

export function renderMetrics(): string {
  const o = new Out();
  const http = httpMetrics();
  const rt = getRuntime();

  o.family("pareto_http_requests_total", "counter", "Metered API requests by route, model and HTTP status.");
  for (const [k, v] of http.requests) {
    const [route, model, status] = JSON.parse(k) as [string, string, string];
    o.sample("pareto_http_requests_total", { route, model, status }, v);
  }
  o.family("pareto_http_request_duration_seconds", "histogram", "End-to-end latency of metered API requests.");
  for (const [route, h] of http.durations) o.histogram("pareto_http_request_duration_seconds", { route }, HTTP_BUCKETS_S, h.counts, h.sum, h.count);
  o.family("pareto_rejections_total", "counter", "Requests refused by a rate limit (rate_limited) or a quota, used up (quota_exceeded) or held by requests in flight (quota_held).");
  for (const reason of ["rate_limited", "quota_exceeded", "quota_held"]) o.sample("pareto_rejections_total", { reason }, http.rejections.get(reason) ?? 0);
  o.family("pareto_unauthenticated_requests_total", "counter", "Metered API requests without a valid key (not stored as usage events), by route and reason.");
  for (const [k, v] of http.unauthenticated) {
    const [route, reason] = JSON.parse(k) as [string, string];
    o.sample("pareto_unauthenticated_requests_total", { route, reason }, v);
  }
  const q = quotaLeases();
  o.family("pareto_quota_reservations_total", "counter", "Quota reservations of requests, one per subject (user, key), by where they were counted: lease (in memory) or database.");
  for (const via of ["lease", "database"]) for (const subject of ["user", "key"]) o.sample("pareto_quota_reservations_total", { via, subject }, q.stats.holds.get(`${via}|${subject}`) ?? 0);
  o.family("pareto_quota_lease_blocks_total", "counter", "Blocks of quota this instance leased from the database, by subject kind.");
  for (const subject of ["user", "key"]) o.sample("pareto_quota_lease_blocks_total", { subject }, q.stats.blocks.get(subject) ?? 0);
  o.family("pareto_quota_lease_writes_total", "counter", "Write-backs of quota use counted against leases (failed ones are retried).");
  o.sample("pareto_quota_lease_writes_total", { outcome: "ok" }, q.stats.writes);
  o.sample("pareto_quota_lease_writes_total", { outcome: "failed" }, q.stats.writeFailures);
  o.family("pareto_quota_leases", "gauge", "Quota leases this instance holds (open), and returned ones still draining.");
  const held = q.snapshot();
  o.sample("pareto_quota_leases", { state: "open" }, held.leases);
  o.sample("pareto_quota_leases", { state: "draining" }, held.retiring);
  o.family("pareto_compute_seconds_total", "counter", "Inference compute time billed, by model.");
  for (const [model, msv] of http.computeMs) o.sample("pareto_compute_seconds_total", { model }, msv / 1000);

  const status = rt.status();
  o.family("pareto_model_state", "gauge", "1 for the model's current load state (UNLOADED, LOADING, READY, FAILED).");
  for (const s of status) for (const state of ["UNLOADED", "LOADING", "READY", "FAILED"]) o.sample("pareto_model_state", { model: s.id, state }, s.state === state ? 1 : 0);
  o.family("pareto_queue_depth", "gauge", "Requests waiting for a worker, by model.");
  for (const s of status) o.sample("pareto_queue_depth", { model: s.id }, s.queued);
  o.family("pareto_in_flight", "gauge", "Requests running in a worker, by model.");
  for (const s of status) o.sample("pareto_in_flight", { model: s.id }, s.inFlight);
  o.family("pareto_inference_queue_wait_seconds", "histogram", "Time requests waited for a worker, by model.");
  for (const [model, m] of rt.metrics.models) o.histogram("pareto_inference_queue_wait_seconds", { model }, m.queueMs.buckets.map((b) => b / 1000), m.queueMs.counts, m.queueMs.sum / 1000, m.queueMs.count);
  o.family("pareto_inference_batch_size", "histogram", "Rows per ONNX run, by weight file (dynamic batching).");
  for (const [weight, h] of rt.metrics.batchSizes) o.histogram("pareto_inference_batch_size", { weight }, h.buckets, h.counts, h.sum, h.count);
  o.family("pareto_worker_requests_running", "gauge", "Requests the inference workers say they are running now (abandoned ones until they stop).");
  o.sample("pareto_worker_requests_running", {}, rt.metrics.workerRunning);
  o.family("pareto_worker_requests_running_peak", "gauge", "The most requests the inference workers ran at once since start.");
  o.sample("pareto_worker_requests_running_peak", {}, rt.metrics.workerRunningPeak);
  o.family("pareto_worker_compute_seconds_total", "counter", "Compute the inference workers spent on requests, billed or not (compare with pareto_compute_seconds_total).");
  o.sample("pareto_worker_compute_seconds_total", {}, rt.metrics.workerComputeMsTotal / 1000);
  o.family("pareto_worker_crashes_total", "counter", "Inference worker threads that died and were replaced.");
  o.sample("pareto_worker_crashes_total", {}, rt.metrics.workerCrashes);

  const u = usageWriter();
  o.family("pareto_usage_events_written_total", "counter", "Usage events written to the database.");
  o.sample("pareto_usage_events_written_total", {}, u.written);
  o.family("pareto_usage_events_pending", "gauge", "Usage events accepted but not yet written.");
  o.sample("pareto_usage_events_pending", {}, u.accepted - u.written);
  o.family("pareto_password_checks_total", "counter", "Password verifications (argon2) run for sign-ins; the sign-in throttle bounds them per account.");
  o.sample("pareto_password_checks_total", {}, passwordChecks());
  const lag = lagHistogram();
  if (lag) {
    o.family("pareto_event_loop_lag_seconds", "histogram", "How late a timer due every 10 ms fires on this instance's main thread: stalls delay every request it handles.");
    o.histogram("pareto_event_loop_lag_seconds", {}, LAG_BUCKETS_S, lag.counts, lag.sum, lag.count);
    o.family("pareto_event_loop_lag_max_seconds", "gauge", "The longest main-thread stall measured since start.");
    o.sample("pareto_event_loop_lag_max_seconds", {}, lag.max);
  }
  const keys = principalCacheStats();
  o.family("pareto_key_cache_lookups_total", "counter", "API key verifications served from this instance's cache (hit) or read from the database (miss).");
  o.sample("pareto_key_cache_lookups_total", { result: "hit" }, keys.hits);
  o.sample("pareto_key_cache_lookups_total", { result: "miss" }, keys.misses);
  o.family("pareto_key_cache_entries", "gauge", "Verified API keys cached by this instance (unknown keys are never cached).");
  o.sample("pareto_key_cache_entries", {}, keys.entries);
  o.family("pareto_key_invalidation_channel_up", "gauge", "1 while the Redis channel that carries key, user and plan changes between instances is known to work (cached keys then live 60 s, else 1 s).");
  o.sample("pareto_key_invalidation_channel_up", {}, keys.channelUp ? 1 : 0);
  const mainCpu = mainThreadCpuSeconds();
  if (mainCpu !== null) {
    o.family("pareto_main_thread_cpu_seconds_total", "counter", "CPU time of this instance's main thread (HTTP, routing, keys, metering; the models run in workers). Near one second per second it is the bottleneck.");
    o.sample("pareto_main_thread_cpu_seconds_total", {}, mainCpu);
  }
  o.family("process_resident_memory_bytes", "gauge", "Resident memory of this instance.");
  o.sample("process_resident_memory_bytes", {}, process.memoryUsage().rss);
  return o.text();
}
