import "server-only";
import type { AdminUsageReport } from "@/lib/admin/usage";
import { adminUsageOutput } from "../schemas/admin-usage";
import { presentBucket as b, presentVersions } from "./usage-bucket";

/** The admin usage dashboard's data as the API shows it. */
export function presentAdminUsage(r: AdminUsageReport) {
  const s = r.summary;
  const code = (c: string) => s.errorsByCode.find((e) => e.code === c)?.count ?? 0;
  return adminUsageOutput.parse({
    object: "admin_usage",
    from: r.from.toISOString(),
    to: r.to.toISOString(),
    totals: b(s.totals),
    latency_ms: s.latency,
    rejections: { quota_exceeded: code("quota_exceeded"), rate_limited: code("rate_limited") },
    users: s.byUser.length,
    by_day: s.byDay.map((d) => ({ day: d.day, ...b(d) })),
    by_model: s.byModel.map((d) => ({ model: d.key, ...b(d) })),
    by_version: presentVersions(s.byVersion),
    errors_by_code: s.errorsByCode,
    top_users: r.topUsers.map((u) => ({ user: u.key, email: r.emails.get(u.key) ?? null, ...b(u) })),
    top_keys: r.topKeys.map((k) => {
      const l = r.keys.get(k.key);
      return { key: k.key, prefix: l?.prefix ?? null, name: l?.name ?? null, owner_email: l?.ownerEmail ?? null, ...b(k) };
    }),
    truncated: s.truncated,
  });
}
