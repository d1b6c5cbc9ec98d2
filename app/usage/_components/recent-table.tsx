"use client";
import { useState } from "react";
import type { UsageReport } from "@/lib/api/schemas/usage";
import { useI18n } from "@/lib/i18n/client";
import { fmtDateTime, fmtMs } from "@/app/_components/dashboard/format";
import { MobileLabel, Panel, stack, thCls } from "@/app/_components/dashboard/states";

type Show = "all" | "errors" | "ok";

export function StatusBadge({ status, code }: { status: number; code: string | null }) {
  const ok = status < 400;
  return (
    <span className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 font-mono text-xs ${ok ? "bg-emerald-50 text-emerald-800" : "bg-red-50 text-red-800"}`}>
      {status}
      {code && <span className="font-sans">{code}</span>}
    </span>
  );
}

/** The latest requests of the filtered range, narrowed further to errors or successes in the browser. */
export function RecentTable({ report }: { report: UsageReport }) {
  const { t, locale } = useI18n();
  const [show, setShow] = useState<Show>("all");
  const rows = report.recent.filter((r) => show === "all" || (show === "errors" ? r.status >= 400 : r.status < 400));
  const keyLabel = (r: UsageReport["recent"][number]) => r.key_prefix ?? (r.source === "playground" ? t("usage.recent.playground") : r.key ?? "—");
  return (
    <Panel
      id="recent"
      title={t("usage.recent.title")}
      actions={
        <label className="flex items-center gap-2 text-sm text-slate-700">
          {t("usage.recent.show")}
          <select value={show} onChange={(e) => setShow(e.target.value as Show)} data-testid="recent-show" className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm">
            <option value="all">{t("usage.recent.all")}</option>
            <option value="errors">{t("usage.recent.errorsOnly")}</option>
            <option value="ok">{t("usage.recent.okOnly")}</option>
          </select>
        </label>
      }
    >
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="recent-empty">{t("usage.recent.empty")}</p>
      ) : (
        <div className="max-h-[32rem] overflow-auto">
          <table className={stack.table}>
            <caption className="sr-only">{t("usage.recent.caption", { count: report.recent.length })}</caption>
            <thead className="sticky top-0 hidden bg-white md:table-header-group">
              <tr>
                <th scope="col" className={thCls}>{t("usage.recent.time")}</th>
                <th scope="col" className={thCls}>{t("usage.recent.model")}</th>
                <th scope="col" className={thCls}>{t("usage.recent.key")}</th>
                <th scope="col" className={thCls}>{t("usage.recent.status")}</th>
                <th scope="col" className={`${thCls} text-right`}>{t("usage.recent.latency")}</th>
                <th scope="col" className={`${thCls} text-right`}>{t("usage.recent.compute")}</th>
              </tr>
            </thead>
            <tbody className={stack.tbody}>
              {rows.map((r) => (
                <tr key={r.request_id} className="grid grid-cols-2 gap-x-3 gap-y-2 py-3 md:table-row md:py-0" data-testid="recent-row" data-model={r.model ?? ""} data-status={r.status}>
                  <td className={`${stack.cell} tabular-nums text-slate-700 md:whitespace-nowrap`}>
                    <MobileLabel>{t("usage.recent.time")}</MobileLabel>
                    <time dateTime={r.created_at} title={r.request_id}>{fmtDateTime(r.created_at, locale, true)}</time>
                  </td>
                  <td className={`${stack.cell} break-all`}>
                    <MobileLabel>{t("usage.recent.model")}</MobileLabel>
                    {r.model ? <span className="font-mono text-xs">{r.model}</span> : <span className="font-mono text-xs text-slate-600">{r.route}</span>}
                  </td>
                  <td className={`${stack.cell} font-mono text-xs`}>
                    <MobileLabel>{t("usage.recent.key")}</MobileLabel>
                    {keyLabel(r)}
                  </td>
                  <td className={stack.cell}>
                    <MobileLabel>{t("usage.recent.status")}</MobileLabel>
                    <StatusBadge status={r.status} code={r.error_code} />
                  </td>
                  <td className={`${stack.cell} tabular-nums md:whitespace-nowrap md:text-right`}>
                    <MobileLabel>{t("usage.recent.latency")}</MobileLabel>
                    {fmtMs(r.latency_ms, t, locale)}
                  </td>
                  <td className={`${stack.cell} tabular-nums md:whitespace-nowrap md:text-right`}>
                    <MobileLabel>{t("usage.recent.compute")}</MobileLabel>
                    {r.compute_ms ? fmtMs(r.compute_ms, t, locale) : "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
