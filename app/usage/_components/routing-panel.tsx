"use client";
import type { UsageReport } from "@/lib/api/schemas/usage";
import { useI18n } from "@/lib/i18n/client";
import { renderMessage } from "@/lib/i18n/message";
import { fmtDateTime } from "@/app/_components/dashboard/format";
import { Panel } from "@/app/_components/dashboard/states";

/** The caller's latest `model=auto` decisions: which model the router chose and why (in the reader's language; rows
 * recorded before reasons were stored as catalog messages show their English text). */
export function RoutingPanel({ decisions }: { decisions: UsageReport["routing_decisions"] }) {
  const { t, locale, messages } = useI18n();
  return (
    <Panel id="routing" title={t("usage.routing.title")}>
      {decisions.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="routing-empty">{t("usage.routing.empty")}</p>
      ) : (
        <>
          <p className="text-sm text-slate-600">{t("usage.routing.lead")}</p>
          <ul className="mt-3 divide-y divide-slate-100">
            {decisions.map((d) => (
              <li key={d.request_id} className="py-2 text-sm" data-testid="routing-row">
                <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
                  <time dateTime={d.created_at} className="tabular-nums text-slate-600">{fmtDateTime(d.created_at, locale)}</time>
                  <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs uppercase text-slate-700">{d.task}</span>
                  <span className="font-mono text-xs font-medium text-slate-900">{d.chosen ?? t("usage.routing.none")}</span>
                </div>
                <p className="mt-1 break-words text-slate-700"><span className="sr-only">{t("usage.routing.reason")}: </span>{renderMessage(messages, d.reason_message) ?? d.reason}</p>
              </li>
            ))}
          </ul>
        </>
      )}
    </Panel>
  );
}
