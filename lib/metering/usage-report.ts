import "server-only";
import { findKeyOf } from "@/lib/db/keys";
import { recentUsage, usageSummary } from "@/lib/db/usage";
import { findUserWithPlan } from "@/lib/db/users";
import { usageOutput } from "@/lib/api/schemas/usage";
import { ApiError } from "@/lib/api/errors";
import { periodOf, periodReset, quotaCounters } from "./quota";

const b = (x: { requests: number; errors: number; computeMs: number; units: number }) => ({
  requests: x.requests,
  errors: x.errors,
  compute_ms: Math.round(x.computeMs * 100) / 100,
  units: Math.round(x.units * 1000) / 1000,
});

/** A user's own usage report: quota for this period, aggregates and recent requests for the filtered range. */
export async function usageReport(userId: string, q: { from: Date; to: Date; model?: string; key?: string; limit?: number }) {
  // Only the caller's own keys: another user's key id is "not found", never their data.
  if (q.key && !(await findKeyOf(userId, q.key))) throw new ApiError("not_found", "No such key.", { param: "key" });
  const filter = { userId, apiKeyId: q.key, modelId: q.model, from: q.from, to: q.to };
  const [summary, recent, user, counters] = await Promise.all([usageSummary(filter), recentUsage(filter, q.limit ?? 100), findUserWithPlan(userId), quotaCounters(userId)]);
  const period = periodOf();
  const mine = counters.find((c) => c.subject === `user:${userId}`);
  return usageOutput.parse({
    object: "usage",
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    quota: {
      period,
      resets_at: periodReset(period).toISOString(),
      plan: user?.plan?.name ?? "none",
      requests: { used: mine?.usedRequests ?? 0, reserved: mine?.reservedRequests ?? 0, limit: user?.plan?.monthlyRequests ?? 0 },
      compute_ms: { used: Math.round((mine?.usedComputeMs ?? 0) * 100) / 100, reserved: mine?.reservedComputeMs ?? 0, limit: user?.plan?.monthlyComputeMs ?? 0 },
    },
    totals: b(summary.totals),
    latency_ms: summary.latency,
    by_day: summary.byDay.map((d) => ({ day: d.day, ...b(d) })),
    by_model: summary.byModel.map((d) => ({ model: d.key, ...b(d) })),
    by_key: summary.byKey.map((d) => ({ key: d.key, ...b(d) })),
    errors_by_code: summary.errorsByCode,
    recent: recent.map((r) => ({
      request_id: r.requestId,
      created_at: r.createdAt.toISOString(),
      model: r.modelId,
      key: r.apiKeyId,
      route: r.route,
      status: r.status,
      error_code: r.errorCode,
      latency_ms: r.latencyMs,
      compute_ms: r.computeMs,
      units: r.units,
      source: r.source,
    })),
    truncated: summary.truncated,
  });
}
