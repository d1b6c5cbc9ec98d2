"use client";
import { useI18n } from "@/lib/i18n/client";
import { fmtDateTime, fmtMs } from "@/app/_components/dashboard/format";
import { ErrorState } from "@/app/_components/dashboard/states";
import type { Delivery } from "./job";
import { usePolled } from "./use-job-poll";

const DELIVERY_POLL_MS_FACTOR = 5;

/** A delivery still has attempts to come (it retries with back-off for a day). */
const pending = (d: Delivery) => !d.delivered_at && (!!d.next_attempt_at || d.status === "pending");

/**
 * The webhook delivery log of a job: each event's state, then every attempt with its time, the receiver's status
 * code or the error, and how long it took. Watched while an attempt is due.
 */
export function Deliveries({ jobId, webhookUrl, refresh }: { jobId: string; webhookUrl: string | null | undefined; refresh: number }) {
  const { t, locale } = useI18n();
  const list = usePolled<{ data: Delivery[] }>(webhookUrl ? `/api/v1/jobs/${encodeURIComponent(jobId)}/deliveries` : null, (l) => l.data.length === 0 || l.data.some(pending), refresh, DELIVERY_POLL_MS_FACTOR);
  if (!webhookUrl) return <p className="text-sm text-slate-500" data-testid="deliveries-none">{t("jobs.deliveries.noWebhook")}</p>;
  if (list.failure && !list.data) return <ErrorState message={list.failure.message} onRetry={list.reload} />;
  if (!list.data) return <div className="h-16 animate-pulse rounded bg-slate-100" aria-busy="true" />;
  if (list.data.data.length === 0) return <p className="text-sm text-slate-500" data-testid="deliveries-empty">{t("jobs.deliveries.empty")}</p>;
  return (
    <div className="space-y-4" data-testid="deliveries">
      {list.data.data.map((d) => (
        <div key={d.id} className="rounded-lg ring-1 ring-slate-200" data-testid="delivery" data-status={d.status}>
          <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1 border-b border-slate-100 bg-slate-50 px-3 py-2 text-sm">
            <span className="font-mono">{d.event}</span>
            <span className="font-medium">{d.delivered_at ? t("jobs.deliveries.delivered", { at: fmtDateTime(d.delivered_at, locale, true) }) : d.next_attempt_at ? t("jobs.deliveries.retrying", { at: fmtDateTime(d.next_attempt_at, locale, true) }) : pending(d) ? t("jobs.deliveries.pending") : t("jobs.deliveries.gaveUp")}</span>
            <span className="text-slate-600">{t("jobs.deliveries.attempts", { n: d.attempts })}</span>
          </div>
          <table className="min-w-full divide-y divide-slate-100 text-sm" data-testid="delivery-log">
            <thead>
              <tr>
                <th scope="col" className="px-3 py-1.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">{t("jobs.deliveries.at")}</th>
                <th scope="col" className="px-3 py-1.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">{t("jobs.deliveries.outcome")}</th>
                <th scope="col" className="px-3 py-1.5 text-right text-xs font-semibold uppercase tracking-wide text-slate-600">{t("jobs.deliveries.duration")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {d.log.map((a, i) => {
                const ok = typeof a.status === "number" && a.status >= 200 && a.status < 300;
                return (
                  <tr key={i} data-testid="delivery-attempt">
                    <td className="whitespace-nowrap px-3 py-1.5">{fmtDateTime(a.at, locale, true)}</td>
                    <td className={`px-3 py-1.5 ${ok ? "text-emerald-800" : "text-red-800"}`}>
                      {typeof a.status === "number" ? t("jobs.deliveries.httpStatus", { status: a.status }) : ""}
                      {/* The error of a non-2xx answer may only restate its status. */}
                      {a.error && a.error !== `HTTP ${a.status}` ? `${typeof a.status === "number" ? " · " : ""}${a.error}` : ""}
                    </td>
                    <td className="whitespace-nowrap px-3 py-1.5 text-right tabular-nums">{fmtMs(a.duration_ms, t, locale)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}
