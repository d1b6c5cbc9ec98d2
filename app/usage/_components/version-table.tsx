"use client";
import type { UsageReport } from "@/lib/api/schemas/usage";
import { useI18n } from "@/lib/i18n/client";
import { fmtInt, fmtMs, fmtPct } from "@/app/_components/dashboard/format";
import { Panel, tableCls, tdCls, thCls } from "@/app/_components/dashboard/states";

type VersionRow = UsageReport["by_version"][number];

/**
 * Requests, errors and latency per version of each uploaded model in range: one small table per model, so a canary
 * is judged beside the version it may replace. Nothing when no model with versions was used.
 */
export function VersionTables({ id, rows }: { id: string; rows: VersionRow[] }) {
  const { t, locale } = useI18n();
  if (!rows.length) return null;
  const models = [...new Set(rows.map((r) => r.model))];
  return (
    <Panel id={id} title={t("usage.versions.title")}>
      <p className="mb-3 text-sm text-slate-600">{t("usage.versions.lead")}</p>
      <div className="space-y-4">
        {models.map((m) => {
          const versions = rows.filter((r) => r.model === m);
          const total = versions.reduce((s, v) => s + v.requests, 0);
          return (
            <table key={m} className={tableCls} data-testid={`${id}-${m}`}>
              <caption className="text-left font-mono text-xs font-medium text-slate-800">{m}</caption>
              <thead>
                <tr>
                  <th scope="col" className={thCls}>{t("usage.versions.version")}</th>
                  <th scope="col" className={`${thCls} text-right`}>{t("usage.breakdown.requests")}</th>
                  <th scope="col" className={`${thCls} text-right`}>{t("usage.versions.share")}</th>
                  <th scope="col" className={`${thCls} text-right`}>{t("usage.versions.errorRate")}</th>
                  <th scope="col" className={`${thCls} text-right`}>{t("usage.versions.p95")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {versions.map((v) => (
                  <tr key={v.version} data-testid={`${id}-row`}>
                    <th scope="row" className={`${tdCls} text-left font-mono text-xs font-medium`}>{v.version}</th>
                    <td className={`${tdCls} text-right tabular-nums`}>{fmtInt(v.requests, locale)}</td>
                    <td className={`${tdCls} text-right tabular-nums`}>{total ? fmtPct(v.requests / total, locale) : "—"}</td>
                    <td className={`${tdCls} text-right tabular-nums ${v.errors ? "text-red-700" : ""}`}>{v.requests ? fmtPct(v.errors / v.requests, locale) : "—"}</td>
                    <td className={`${tdCls} text-right tabular-nums`} title={v.mean_latency_ms === null ? undefined : t("usage.versions.mean", { mean: fmtMs(v.mean_latency_ms, t, locale) })}>
                      {fmtMs(v.p95_latency_ms, t, locale)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          );
        })}
      </div>
    </Panel>
  );
}
