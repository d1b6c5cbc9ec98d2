import "server-only";
import { findKeyOf, listKeysOf, type KeyRow } from "@/lib/db/keys";
import { listRoutingDecisions } from "@/lib/db/routing";
import { recentUsage, usageSummary } from "@/lib/db/usage";
import { findUserWithPlan } from "@/lib/db/users";
import { ServiceError } from "@/lib/models/errors";
import { periodOf, periodReset, quotaCounters } from "./quota";

/** A user's usage for a range, with this period's quota. */
export interface UsageReport {
  from: Date;
  to: Date;
  quota: {
    period: string;
    resetsAt: Date;
    plan: { name: string; monthlyRequests: number; monthlyComputeMs: number } | null;
    /** The user's own counter this period (their keys' counters are separate); undefined before the first request. */
    counter: { usedRequests: number; reservedRequests: number; usedComputeMs: number; reservedComputeMs: number } | undefined;
  };
  summary: Awaited<ReturnType<typeof usageSummary>>;
  recent: Awaited<ReturnType<typeof recentUsage>>;
  keys: KeyRow[];
  routing: Awaited<ReturnType<typeof listRoutingDecisions>>;
}

/** Only the caller's own keys: another user's key id is "not found", never their data. */
export async function assertOwnKey(userId: string, key: string | undefined): Promise<void> {
  if (key && !(await findKeyOf(userId, key))) throw new ServiceError("not_found", "No such key.", { param: "key" });
}

/** A user's own usage report: quota for this period, aggregates and recent requests for the filtered range. */
export async function usageReport(userId: string, q: { from: Date; to: Date; model?: string; key?: string; limit?: number }): Promise<UsageReport> {
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
  const period = periodOf();
  return {
    from: q.from,
    to: q.to,
    quota: { period, resetsAt: periodReset(period), plan: user?.plan ?? null, counter: counters.find((c) => c.subject === `user:${userId}`) },
    summary,
    recent,
    keys,
    routing,
  };
}
