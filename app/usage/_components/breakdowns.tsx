"use client";
import type { UsageReport } from "@/lib/api/schemas/usage";
import { useI18n } from "@/lib/i18n/client";
import { fmtInt, fmtMs } from "@/app/_components/dashboard/format";
import { MobileLabel, Panel, ShareBar, stack, thCls } from "@/app/_components/dashboard/states";

interface Row {
  id: string;
  label: string;
  sub?: string;
  requests: number;
  errors: number;
  compute_ms: number;
}

/** A breakdown table (by model, by key): requests with a share bar, errors, compute. */
export function BreakdownTable({ id, title, head, rows, total }: { id: string; title: string; head: string; rows: Row[]; total: number }) {
  const { t, locale } = useI18n();
  return (
    <Panel id={id} title={title}>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600">{t("usage.breakdown.none")}</p>
      ) : (
        <table className={stack.table}>
          <thead className="hidden md:table-header-group">
            <tr>
              <th scope="col" className={thCls}>{head}</th>
              <th scope="col" className={`${thCls} text-right`}>{t("usage.breakdown.requests")}</th>
              <th scope="col" className={`${thCls} text-right`}>{t("usage.breakdown.errors")}</th>
              <th scope="col" className={`${thCls} text-right`}>{t("usage.breakdown.compute")}</th>
            </tr>
          </thead>
          <tbody className={stack.tbody}>
            {rows.map((r) => (
              <tr key={r.id} data-testid={`${id}-row`} className="grid grid-cols-3 gap-x-3 gap-y-2 py-3 md:table-row md:py-0">
                <th scope="row" className="col-span-3 break-all text-left font-medium text-slate-800 md:table-cell md:min-w-32 md:px-3 md:py-2">
                  <span className="font-mono text-xs">{r.label}</span>
                  {r.sub && <span className="block text-xs font-normal text-slate-600">{r.sub}</span>}
                </th>
                <td className={`${stack.cell} tabular-nums md:text-right`}>
                  <MobileLabel>{t("usage.breakdown.requests")}</MobileLabel>
                  {fmtInt(r.requests, locale)}
                  <ShareBar ratio={total ? r.requests / total : 0} />
                </td>
                <td className={`${stack.cell} tabular-nums md:text-right ${r.errors ? "text-red-700" : ""}`}>
                  <MobileLabel>{t("usage.breakdown.errors")}</MobileLabel>
                  {fmtInt(r.errors, locale)}
                </td>
                <td className={`${stack.cell} tabular-nums md:whitespace-nowrap md:text-right`}>
                  <MobileLabel>{t("usage.breakdown.compute")}</MobileLabel>
                  {fmtMs(r.compute_ms, t, locale)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

export function modelRows(r: UsageReport): Row[] {
  return r.by_model.map((m) => ({ id: m.model, label: m.model, requests: m.requests, errors: m.errors, compute_ms: m.compute_ms }));
}

export function keyRows(r: UsageReport, playground: string, revoked: string): Row[] {
  const keys = new Map(r.keys.map((k) => [k.id, k]));
  return r.by_key.map((b) => {
    if (b.key === "playground") return { id: b.key, label: playground, requests: b.requests, errors: b.errors, compute_ms: b.compute_ms };
    const k = keys.get(b.key);
    const sub = k ? `${k.name}${k.revoked ? ` (${revoked})` : ""}` : undefined;
    return { id: b.key, label: k?.prefix ?? b.key, sub, requests: b.requests, errors: b.errors, compute_ms: b.compute_ms };
  });
}
