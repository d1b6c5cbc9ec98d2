import { asMessage } from "@/lib/i18n/message";
import "server-only";
import type { UsageReport } from "@/lib/metering/usage-report";
import { usageOutput } from "../schemas/usage";
import { presentBucket as b, presentVersions } from "./usage-bucket";

/** A user's usage report as the API and the usage page show it. */
export function presentUsage(r: UsageReport) {
  const { summary, quota } = r;
  const mine = quota.counter;
  const prefixOf = new Map(r.keys.map((k) => [k.id, k.prefix]));
  return usageOutput.parse({
    object: "usage",
    from: r.from.toISOString(),
    to: r.to.toISOString(),
    quota: {
      period: quota.period,
      resets_at: quota.resetsAt.toISOString(),
      plan: quota.plan?.name ?? "none",
      requests: { used: mine?.usedRequests ?? 0, reserved: mine?.reservedRequests ?? 0, leased: mine?.leasedRequests ?? 0, limit: quota.plan?.monthlyRequests ?? 0 },
      compute_ms: {
        used: Math.round((mine?.usedComputeMs ?? 0) * 100) / 100,
        reserved: mine?.reservedComputeMs ?? 0,
        leased: mine?.leasedComputeMs ?? 0,
        limit: quota.plan?.monthlyComputeMs ?? 0,
      },
    },
    totals: b(summary.totals),
    latency_ms: summary.latency,
    by_day: summary.byDay.map((d) => ({ day: d.day, ...b(d) })),
    by_model: summary.byModel.map((d) => ({ model: d.key, ...b(d) })),
    by_key: summary.byKey.map((d) => ({ key: d.key, ...b(d) })),
    by_version: presentVersions(summary.byVersion),
    errors_by_code: summary.errorsByCode,
    keys: r.keys.map((k) => ({ id: k.id, name: k.name, prefix: k.prefix, revoked: k.revokedAt !== null })),
    recent: r.recent.map((e) => ({
      request_id: e.requestId,
      created_at: e.createdAt.toISOString(),
      model: e.modelId,
      key: e.apiKeyId,
      key_prefix: e.apiKeyId ? (prefixOf.get(e.apiKeyId) ?? null) : null,
      route: e.route,
      status: e.status,
      error_code: e.errorCode,
      latency_ms: e.latencyMs,
      compute_ms: e.computeMs,
      units: e.units,
      source: e.source,
    })),
    routing_decisions: r.routing.map((d) => ({
      request_id: d.requestId,
      created_at: d.createdAt.toISOString(),
      task: d.task,
      chosen: d.chosen,
      reason: d.reason,
      reason_message: asMessage(d.reasonMessage),
    })),
    truncated: summary.truncated,
  });
}
