import "server-only";
import { keyLabels, userEmails } from "@/lib/db/labels";
import { usageSummary } from "@/lib/db/usage";

export type UsageSummary = Awaited<ReturnType<typeof usageSummary>>;
export type KeyLabel = { prefix: string; name: string; ownerEmail: string };

/** Usage across every user, with the top users and keys labelled by email and key name. */
export interface AdminUsageReport {
  from: Date;
  to: Date;
  summary: UsageSummary;
  topUsers: UsageSummary["byUser"];
  topKeys: UsageSummary["byKey"];
  /** Emails of the top users, by user id. */
  emails: Map<string, string>;
  /** Labels of the top keys, by key id (the `playground` bucket has none). */
  keys: Map<string, KeyLabel>;
}

/** Usage across every user for the admin dashboard: the same aggregation as a user's report, without the owner filter. */
export async function adminUsageReport(q: { from: Date; to: Date; model?: string; key?: string; user?: string; top?: number }): Promise<AdminUsageReport> {
  const summary = await usageSummary({ userId: q.user, apiKeyId: q.key, modelId: q.model, from: q.from, to: q.to });
  const top = q.top ?? 10;
  const topUsers = summary.byUser.slice(0, top);
  const topKeys = summary.byKey.slice(0, top);
  const [emails, keys] = await Promise.all([
    userEmails(topUsers.map((u) => u.key)),
    keyLabels(topKeys.map((k) => k.key).filter((k) => k !== "playground")),
  ]);
  return { from: q.from, to: q.to, summary, topUsers, topKeys, emails, keys };
}
