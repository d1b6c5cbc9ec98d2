"use client";
import Link from "next/link";
import { useState } from "react";
import type { UsageReport } from "@/lib/api/schemas/usage";
import { useI18n } from "@/lib/i18n/client";
import { DayCharts } from "@/app/_components/dashboard/day-charts";
import { fmtInt, fmtMs, fmtPct } from "@/app/_components/dashboard/format";
import { presetRange, query } from "@/app/_components/dashboard/range";
import { EmptyState, ErrorState, Skeleton, StatCard } from "@/app/_components/dashboard/states";
import { useJson } from "@/app/_components/dashboard/use-json";
import { BreakdownTable, keyRows, modelRows } from "./breakdowns";
import { QuotaMeter } from "./quota-meter";
import { RecentTable } from "./recent-table";
import { RoutingPanel } from "./routing-panel";
import { UsageFilters, type UsageFilterValue } from "./usage-filters";
import { VersionTables } from "./version-table";

const RECENT_LIMIT = 200;

/** /usage: everything comes from GET /api/v1/usage (the same report API clients get); nothing is computed here. */
export function UsageDashboard() {
  const { t, locale } = useI18n();
  const [filters, setFilters] = useState<UsageFilterValue>(() => ({ range: presetRange("30d"), model: "", key: "" }));
  const qs = query(filters.range, { model: filters.model, key: filters.key });
  const report = useJson<UsageReport>(`/api/v1/usage?${qs}&limit=${RECENT_LIMIT}`);
  const models = useJson<{ data: { id: string }[] }>("/api/v1/models");
  const r = report.data;

  return (
    <section aria-labelledby="section-title" data-testid="section-usage" className="space-y-6">
      <header>
        <h1 id="section-title" className="text-2xl font-semibold tracking-tight">{t("usage.title")}</h1>
        <p className="mt-1 text-slate-600">{t("usage.lead")}</p>
      </header>

      <UsageFilters
        value={filters}
        onChange={setFilters}
        models={models.data?.data.map((m) => m.id) ?? []}
        keys={r?.keys ?? []}
        exportHref={r ? `/api/v1/usage/export.csv?${qs}` : null}
        onRefresh={() => (filters.range.preset === "custom" ? report.reload() : setFilters({ ...filters, range: presetRange(filters.range.preset) }))}
        busy={report.loading}
      />

      {report.error && <ErrorState message={report.error.message} onRetry={report.reload} />}
      {!r && !report.error && <Skeleton />}

      {r && (
        <div className={`space-y-6 transition-opacity ${report.loading ? "opacity-60" : ""}`} aria-busy={report.loading} data-testid="usage-report">
          {r.truncated && <p role="status" className="rounded bg-amber-50 px-3 py-2 text-sm text-amber-900">{t("usage.state.truncated")}</p>}
          <div className="grid gap-4 lg:grid-cols-3">
            <dl className="grid grid-cols-2 gap-3 lg:col-span-2 lg:grid-cols-3">
              <StatCard testId="stat-requests" label={t("usage.stats.requests")} value={fmtInt(r.totals.requests, locale)} />
              <StatCard
                testId="stat-error-rate"
                label={t("usage.stats.errorRate")}
                value={r.totals.requests ? fmtPct(r.totals.errors / r.totals.requests, locale) : "—"}
                hint={t("usage.stats.errorRateHint", { errors: fmtInt(r.totals.errors, locale), requests: fmtInt(r.totals.requests, locale) })}
                tone={r.totals.errors ? "warn" : "default"}
              />
              <StatCard testId="stat-compute" label={t("usage.stats.compute")} value={fmtMs(r.totals.compute_ms, t, locale)} hint={t("usage.stats.computeHint")} />
              <StatCard testId="stat-p50" label={t("usage.stats.p50")} value={fmtMs(r.latency_ms.p50, t, locale)} hint={r.latency_ms.p50 === null ? t("usage.stats.noLatency") : undefined} />
              <StatCard testId="stat-p95" label={t("usage.stats.p95")} value={fmtMs(r.latency_ms.p95, t, locale)} />
              <StatCard testId="stat-p99" label={t("usage.stats.p99")} value={fmtMs(r.latency_ms.p99, t, locale)} />
            </dl>
            <QuotaMeter quota={r.quota} />
          </div>

          {r.totals.requests === 0 ? (
            <EmptyState title={t("usage.empty.title")} body={t("usage.empty.body")}>
              <Link href="/keys" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">{t("usage.empty.keys")}</Link>
              <Link href="/playground" className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50">{t("usage.empty.playground")}</Link>
            </EmptyState>
          ) : (
            <>
              <DayCharts id="usage" days={r.by_day} from={r.from} to={r.to} />
              <div className="grid gap-4 lg:grid-cols-2">
                <BreakdownTable id="by-model" title={t("usage.breakdown.byModel")} head={t("usage.breakdown.model")} rows={modelRows(r)} total={r.totals.requests} />
                <BreakdownTable id="by-key" title={t("usage.breakdown.byKey")} head={t("usage.breakdown.key")} rows={keyRows(r, t("usage.recent.playground"), t("usage.recent.revoked"))} total={r.totals.requests} />
              </div>
              <VersionTables id="by-version" rows={r.by_version} />
              <RecentTable report={r} />
            </>
          )}
          <RoutingPanel decisions={r.routing_decisions} />
        </div>
      )}
    </section>
  );
}
