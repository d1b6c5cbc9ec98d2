"use client";
import { useEffect, useState } from "react";
import type { AuditList } from "@/lib/api/schemas/audit";
import { useI18n } from "@/lib/i18n/client";
import { fmtDateTime } from "@/app/_components/dashboard/format";
import { RangeFilter } from "@/app/_components/dashboard/range-filter";
import { presetRange, query, type Range } from "@/app/_components/dashboard/range";
import { ErrorState, MobileLabel, selectCls, Skeleton, stack, thCls } from "@/app/_components/dashboard/states";
import { apiFetch, useJson } from "@/app/_components/dashboard/use-json";

type Entry = AuditList["data"][number];

function Details({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="text-slate-600">—</span>;
  const text = JSON.stringify(value);
  if (text.length <= 60) return <code className="break-all text-xs text-slate-700">{text}</code>;
  return (
    <details className="max-w-md">
      <summary className="cursor-pointer truncate text-xs text-slate-700">{text.slice(0, 60)}…</summary>
      <pre className="mt-1 whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs">{JSON.stringify(value, null, 2)}</pre>
    </details>
  );
}

/** The audit log with action, actor and range filters; older pages load on demand. */
export function AuditPanel() {
  const { t, locale } = useI18n();
  const [range, setRange] = useState<Range>(() => presetRange("30d"));
  const [action, setAction] = useState("");
  const [actor, setActor] = useState("");
  const [actorQ, setActorQ] = useState("");
  const [more, setMore] = useState<{ url: string; rows: Entry[]; cursor: string | null; error?: string }>({ url: "", rows: [], cursor: null });
  const [loadingMore, setLoadingMore] = useState(false);
  useEffect(() => {
    const id = setTimeout(() => setActorQ(actor.trim()), 300);
    return () => clearTimeout(id);
  }, [actor]);
  const url = `/api/v1/admin/audit?${query(range, { action, actor: actorQ, limit: 50 })}`;
  const page = useJson<AuditList>(url);
  const extra = more.url === url ? more : null;
  const rows = [...(page.data?.data ?? []), ...(extra?.rows ?? [])];
  const cursor = extra ? extra.cursor : (page.data?.next_cursor ?? null);

  async function loadMore() {
    if (!cursor) return;
    setLoadingMore(true);
    const r = await apiFetch<AuditList>(`${url}&after=${encodeURIComponent(cursor)}`);
    setLoadingMore(false);
    if (r.ok) setMore({ url, rows: [...(extra?.rows ?? []), ...r.data.data], cursor: r.data.next_cursor });
    else setMore({ url, rows: extra?.rows ?? [], cursor, error: r.error.message });
  }

  return (
    <div className="space-y-4">
      <div role="search" aria-label={t("usage.filters.label")} className="grid gap-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 md:grid-cols-[minmax(0,1fr)_12rem_14rem] md:items-start">
        <RangeFilter id="audit" value={range} onChange={setRange} />
        <label className="text-sm font-medium text-slate-700">
          {t("admin.audit.action")}
          <select value={action} onChange={(e) => setAction(e.target.value)} data-testid="audit-action" className={selectCls}>
            <option value="">{t("admin.audit.allActions")}</option>
            {page.data?.actions.map((a) => <option key={a} value={a}>{a}</option>)}
          </select>
        </label>
        <label className="text-sm font-medium text-slate-700">
          {t("admin.audit.actor")}
          <input type="search" value={actor} onChange={(e) => setActor(e.target.value)} placeholder={t("admin.audit.actorPlaceholder")} data-testid="audit-actor" className={selectCls} />
        </label>
      </div>
      {page.error && <ErrorState message={page.error.message} onRetry={page.reload} />}
      {!page.data && !page.error && <Skeleton rows={1} />}
      {page.data && rows.length === 0 && <p className="rounded-lg bg-white p-6 text-center text-sm text-slate-600 ring-1 ring-slate-200" data-testid="audit-empty">{t("admin.audit.empty")}</p>}
      {rows.length > 0 && (
        <div className={`rounded-lg bg-white shadow-sm ring-1 ring-slate-200 md:overflow-x-auto ${page.loading ? "opacity-60" : ""}`}>
          <table className={stack.table}>
            <thead className={stack.thead}>
              <tr>
                <th scope="col" className={thCls}>{t("admin.audit.time")}</th>
                <th scope="col" className={thCls}>{t("admin.audit.actor")}</th>
                <th scope="col" className={thCls}>{t("admin.audit.action")}</th>
                <th scope="col" className={thCls}>{t("admin.audit.target")}</th>
                <th scope="col" className={thCls}>{t("admin.audit.details")}</th>
              </tr>
            </thead>
            <tbody className={stack.tbody}>
              {rows.map((e) => (
                <tr key={e.id} className={stack.tr} data-testid="audit-row" data-action={e.action}>
                  <td className={`${stack.cell} tabular-nums text-slate-700 md:whitespace-nowrap`}>
                    <MobileLabel>{t("admin.audit.time")}</MobileLabel>
                    <time dateTime={e.created_at}>{fmtDateTime(e.created_at, locale, true)}</time>
                  </td>
                  <td className={`${stack.cell} break-all`}>
                    <MobileLabel>{t("admin.audit.actor")}</MobileLabel>
                    {e.actor_email ?? <span className="text-slate-600">{t("admin.audit.system")}</span>}
                  </td>
                  <td className={`${stack.cell} font-mono text-xs`}>
                    <MobileLabel>{t("admin.audit.action")}</MobileLabel>
                    {e.action}
                  </td>
                  <td className={`${stack.cell} break-all font-mono text-xs text-slate-700`}>
                    <MobileLabel>{t("admin.audit.target")}</MobileLabel>
                    {e.target_type ? `${e.target_type}:${e.target_id ?? ""}` : "—"}
                  </td>
                  <td className={`${stack.cell} ${stack.wide}`}>
                    <MobileLabel>{t("admin.audit.details")}</MobileLabel>
                    <Details value={e.details} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {extra?.error && <p role="alert" className="text-sm text-red-700">{t("admin.common.loadFailed", { message: extra.error })}</p>}
      {cursor && (
        <button type="button" onClick={() => void loadMore()} disabled={loadingMore} data-testid="audit-more"
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60">
          {t("admin.audit.loadMore")}
        </button>
      )}
    </div>
  );
}
