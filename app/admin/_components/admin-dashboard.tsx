"use client";
import { useState } from "react";
import type { AdminUsage } from "@/lib/api/schemas/admin-usage";
import { useI18n } from "@/lib/i18n/client";
import { DayCharts } from "@/app/_components/dashboard/day-charts";
import { fmtInt, fmtMs, fmtPct } from "@/app/_components/dashboard/format";
import { RangeFilter } from "@/app/_components/dashboard/range-filter";
import { presetRange, query, type Range } from "@/app/_components/dashboard/range";
import { ErrorState, Panel, selectCls, Skeleton, StatCard, tableCls, tdCls, thCls } from "@/app/_components/dashboard/states";
import { useJson } from "@/app/_components/dashboard/use-json";
import { BreakdownTable } from "@/app/usage/_components/breakdowns";
import { VersionTables } from "@/app/usage/_components/version-table";

/** /admin: usage for everyone from GET /api/v1/admin/usage. */
export function AdminDashboard() {
  const { t, locale } = useI18n();
  const [range, setRange] = useState<Range>(() => presetRange("7d"));
  const [model, setModel] = useState("");
  const report = useJson<AdminUsage>(`/api/v1/admin/usage?${query(range, { model, top: 10 })}`);
  const models = useJson<{ data: { id: string }[] }>("/api/v1/models");
  const r = report.data;
  const n = (v: number) => fmtInt(v, locale);

  return (
    <div className="space-y-6">
      <div role="search" aria-label={t("usage.filters.label")} className="grid gap-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 md:grid-cols-[minmax(0,1fr)_14rem] md:items-start">
        <RangeFilter id="admin" value={range} onChange={setRange} />
        <label className="text-sm font-medium text-slate-700">
          {t("usage.filters.model")}
          <select value={model} onChange={(e) => setModel(e.target.value)} data-testid="admin-model" className={selectCls}>
            <option value="">{t("usage.filters.allModels")}</option>
            {models.data?.data.map((m) => <option key={m.id} value={m.id}>{m.id}</option>)}
          </select>
        </label>
      </div>

      {report.error && <ErrorState message={report.error.message} onRetry={report.reload} />}
      {!r && !report.error && <Skeleton />}
      {r && (
        <div className={`space-y-6 ${report.loading ? "opacity-60" : ""}`} aria-busy={report.loading} data-testid="admin-report">
          {r.truncated && <p role="status" className="rounded bg-amber-50 px-3 py-2 text-sm text-amber-900">{t("usage.state.truncated")}</p>}
          <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
            <StatCard testId="admin-stat-requests" label={t("usage.stats.requests")} value={n(r.totals.requests)} />
            <StatCard
              testId="admin-stat-error-rate"
              label={t("usage.stats.errorRate")}
              value={r.totals.requests ? fmtPct(r.totals.errors / r.totals.requests, locale) : "—"}
              hint={t("usage.stats.errorRateHint", { errors: n(r.totals.errors), requests: n(r.totals.requests) })}
              tone={r.totals.errors ? "warn" : "default"}
            />
            <StatCard testId="admin-stat-compute" label={t("usage.stats.compute")} value={fmtMs(r.totals.compute_ms, t, locale)} />
            <StatCard testId="admin-stat-users" label={t("admin.dashboard.activeUsers")} value={n(r.users)} />
            <StatCard testId="admin-stat-p50" label={t("usage.stats.p50")} value={fmtMs(r.latency_ms.p50, t, locale)} />
            <StatCard testId="admin-stat-p95" label={t("usage.stats.p95")} value={fmtMs(r.latency_ms.p95, t, locale)} hint={`p99 ${fmtMs(r.latency_ms.p99, t, locale)}`} />
            <StatCard testId="admin-stat-quota" label={t("admin.dashboard.quotaRejections")} value={n(r.rejections.quota_exceeded)} hint={t("admin.dashboard.quotaHint")} tone={r.rejections.quota_exceeded ? "warn" : "default"} />
            <StatCard testId="admin-stat-rate" label={t("admin.dashboard.rateRejections")} value={n(r.rejections.rate_limited)} hint={t("admin.dashboard.rateHint")} tone={r.rejections.rate_limited ? "warn" : "default"} />
          </dl>

          <DayCharts id="admin" days={r.by_day} from={r.from} to={r.to} />

          <div className="grid gap-4 lg:grid-cols-2">
            <BreakdownTable
              id="admin-by-model"
              title={t("admin.dashboard.computeByModel")}
              head={t("usage.breakdown.model")}
              rows={r.by_model.map((m) => ({ id: m.model, label: m.model, requests: m.requests, errors: m.errors, compute_ms: m.compute_ms }))}
              total={r.totals.requests}
            />
            <Panel id="admin-errors" title={t("admin.dashboard.errorsByCode")}>
              {r.errors_by_code.length === 0 ? (
                <p className="text-sm text-slate-600">{t("admin.dashboard.noErrors")}</p>
              ) : (
                <table className={tableCls}>
                  <thead>
                    <tr>
                      <th scope="col" className={thCls}>{t("admin.dashboard.code")}</th>
                      <th scope="col" className={`${thCls} text-right`}>{t("admin.dashboard.count")}</th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {r.errors_by_code.map((e) => (
                      <tr key={e.code} data-testid="admin-error-row">
                        <th scope="row" className={`${tdCls} text-left font-mono text-xs font-medium`}>{e.code}</th>
                        <td className={`${tdCls} text-right tabular-nums`}>{n(e.count)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Panel>
            <BreakdownTable
              id="admin-top-users"
              title={t("admin.dashboard.topUsers")}
              head={t("admin.dashboard.user")}
              rows={r.top_users.map((u) => ({ id: u.user, label: u.email ?? t("admin.dashboard.deletedUser"), requests: u.requests, errors: u.errors, compute_ms: u.compute_ms }))}
              total={r.totals.requests}
            />
            <BreakdownTable
              id="admin-top-keys"
              title={t("admin.dashboard.topKeys")}
              head={t("usage.breakdown.key")}
              rows={r.top_keys.map((k) => ({
                id: k.key,
                label: k.key === "playground" ? t("usage.recent.playground") : (k.prefix ?? t("admin.dashboard.deletedKey")),
                sub: k.owner_email ?? undefined,
                requests: k.requests,
                errors: k.errors,
                compute_ms: k.compute_ms,
              }))}
              total={r.totals.requests}
            />
          </div>
          <VersionTables id="admin-by-version" rows={r.by_version} />
        </div>
      )}
    </div>
  );
}
