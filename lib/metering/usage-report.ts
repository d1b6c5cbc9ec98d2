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
    counter: { usedRequests: number; reservedRequests: number; leasedRequests: number; usedComputeMs: number; reservedComputeMs: number; leasedComputeMs: number } | undefined;
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

/** What a usage query may cover. `onlyKey`: a model-restricted key sees its own requests and nothing else. */
export interface UsageScope {
  key?: string;
  onlyKey?: string;
}

/** The key filter a query ends up with: any own key, or — for a restricted key — that key alone (another is "not found"). */
export async function scopedKey(userId: string, q: UsageScope): Promise<string | undefined> {
  if (q.onlyKey) {
    if (q.key && q.key !== q.onlyKey) throw new ServiceError("not_found", "No such key.", { param: "key" });
    return q.onlyKey;
  }
  await assertOwnKey(userId, q.key);
  return q.key;
}

/** A user's own usage report: quota for this period, aggregates and recent requests for the filtered range. */
export async function usageReport(userId: string, q: UsageScope & { from: Date; to: Date; model?: string; limit?: number }): Promise<UsageReport> {
  const apiKeyId = await scopedKey(userId, q);
  const filter = { userId, apiKeyId, modelId: q.model, from: q.from, to: q.to };
  // A restricted key: its own key row only, and no routing decisions (they are not attributed to keys).
  const [summary, recent, user, counters, keys, routing] = await Promise.all([
    usageSummary(filter),
    recentUsage(filter, q.limit ?? 100),
    findUserWithPlan(userId),
    quotaCounters(userId),
    listKeysOf(userId).then((all) => (q.onlyKey ? all.filter((k) => k.id === q.onlyKey) : all)),
    q.onlyKey ? Promise.resolve([]) : listRoutingDecisions(userId, 20),
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
