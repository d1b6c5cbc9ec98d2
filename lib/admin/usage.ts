import "server-only";
import { adminUsageOutput } from "@/lib/api/schemas/admin-usage";
import { keyLabels, userEmails } from "@/lib/db/labels";
import { usageSummary } from "@/lib/db/usage";

const b = (x: { requests: number; errors: number; computeMs: number; units: number }) => ({
  requests: x.requests,
  errors: x.errors,
  compute_ms: Math.round(x.computeMs * 100) / 100,
  units: Math.round(x.units * 1000) / 1000,
});

/** Usage across every user for the admin dashboard: the same aggregation as a user's report, without the owner filter. */
export async function adminUsageReport(q: { from: Date; to: Date; model?: string; key?: string; user?: string; top?: number }) {
  const s = await usageSummary({ userId: q.user, apiKeyId: q.key, modelId: q.model, from: q.from, to: q.to });
  const top = q.top ?? 10;
  const topUsers = s.byUser.slice(0, top);
  const topKeys = s.byKey.slice(0, top);
  const [emails, keys] = await Promise.all([
    userEmails(topUsers.map((u) => u.key)),
    keyLabels(topKeys.map((k) => k.key).filter((k) => k !== "playground")),
  ]);
  const code = (c: string) => s.errorsByCode.find((e) => e.code === c)?.count ?? 0;
  return adminUsageOutput.parse({
    object: "admin_usage",
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    totals: b(s.totals),
    latency_ms: s.latency,
    rejections: { quota_exceeded: code("quota_exceeded"), rate_limited: code("rate_limited") },
    users: s.byUser.length,
    by_day: s.byDay.map((d) => ({ day: d.day, ...b(d) })),
    by_model: s.byModel.map((d) => ({ model: d.key, ...b(d) })),
    errors_by_code: s.errorsByCode,
    top_users: topUsers.map((u) => ({ user: u.key, email: emails.get(u.key) ?? null, ...b(u) })),
    top_keys: topKeys.map((k) => {
      const l = keys.get(k.key);
      return { key: k.key, prefix: l?.prefix ?? null, name: l?.name ?? null, owner_email: l?.ownerEmail ?? null, ...b(k) };
    }),
    truncated: s.truncated,
  });
}
