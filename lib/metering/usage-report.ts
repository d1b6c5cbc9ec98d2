import "server-only";
import { findKeyOf, listKeysOf } from "@/lib/db/keys";
import { listRoutingDecisions } from "@/lib/db/routing";
import { recentUsage, usageSummary } from "@/lib/db/usage";
import { findUserWithPlan } from "@/lib/db/users";
import { usageOutput } from "@/lib/api/schemas/usage";
import { asMessage } from "@/lib/i18n/message";
import { ApiError } from "@/lib/api/errors";
import { periodOf, periodReset, quotaCounters } from "./quota";

const b = (x: { requests: number; errors: number; computeMs: number; units: number }) => ({
  requests: x.requests,
  errors: x.errors,
  compute_ms: Math.round(x.computeMs * 100) / 100,
  units: Math.round(x.units * 1000) / 1000,
});

/** Only the caller's own keys: another user's key id is "not found", never their data. */
export async function assertOwnKey(userId: string, key: string | undefined): Promise<void> {
  if (key && !(await findKeyOf(userId, key))) throw new ApiError("not_found", "No such key.", { param: "key" });
}

/** A user's own usage report: quota for this period, aggregates and recent requests for the filtered range. */
export async function usageReport(userId: string, q: { from: Date; to: Date; model?: string; key?: string; limit?: number }) {
  await assertOwnKey(userId, q.key);
  const filter = { userId, apiKeyId: q.key, modelId: q.model, from: q.from, to: q.to };
  const [summary, recent, user, counters, keys, routing] = await Promise.all([
    usageSummary(filter),
    recentUsage(filter, q.limit ?? 100),
    findUserWithPlan(userId),
    quotaCounters(userId),
    listKeysOf(userId),
    listRoutingDecisions(userId, 20),
  ]);
  const prefixOf = new Map(keys.map((k) => [k.id, k.prefix]));
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
    keys: keys.map((k) => ({ id: k.id, name: k.name, prefix: k.prefix, revoked: k.revokedAt !== null })),
    recent: recent.map((r) => ({
      request_id: r.requestId,
      created_at: r.createdAt.toISOString(),
      model: r.modelId,
      key: r.apiKeyId,
      key_prefix: r.apiKeyId ? (prefixOf.get(r.apiKeyId) ?? null) : null,
      route: r.route,
      status: r.status,
      error_code: r.errorCode,
      latency_ms: r.latencyMs,
      compute_ms: r.computeMs,
      units: r.units,
      source: r.source,
    })),
    routing_decisions: routing.map((d) => ({
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
