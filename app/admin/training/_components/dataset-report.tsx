"use client";
import { useI18n } from "@/lib/i18n/client";
import { renderMessage } from "@/lib/i18n/message";
import type { MessageKey } from "@/lib/i18n/config";
import { fmtInt } from "@/app/_components/dashboard/format";
import type { DatasetCounts } from "./training-run";

/** Labels beyond this many are folded under "show all" (a language identifier has ~70). */
const SHOWN_LABELS = 24;
const REASONS = ["missing_field", "empty_text", "empty_label", "not_utf8", "bad_json", "bad_csv", "too_long"];

/**
 * What the trainer will read from a dataset: its format and row count, each label's rows as a bar, and the rows it
 * will leave out with their line numbers and reasons (the API lists the first 100 and counts them all).
 */
export function DatasetReport({ report, testId = "dataset-report" }: { report: DatasetCounts; testId?: string }) {
  const { t, locale, messages } = useI18n();
  const labels = [...report.labels].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  const most = Math.max(1, ...labels.map((l) => l.count));
  const bar = (l: { label: string; count: number }) => (
    <li key={l.label} className="grid grid-cols-[minmax(5rem,12rem)_1fr_4rem] items-center gap-2 text-sm" data-testid="label-count" data-label={l.label} data-count={l.count}>
      <span className="truncate font-mono" title={l.label}>{l.label}</span>
      <span aria-hidden className="h-2.5 overflow-hidden rounded bg-slate-100">
        <span className="block h-full rounded bg-brand-500" style={{ width: `${(l.count / most) * 100}%` }} />
      </span>
      <span className="text-right tabular-nums text-slate-700">{fmtInt(l.count, locale)}</span>
    </li>
  );
  const reason = (r: string) => (REASONS.includes(r) ? t(`training.reason.${r}` as MessageKey) : r);
  return (
    <div className="space-y-4" data-testid={testId} data-rows={report.rows} data-labels={report.labels.length} data-bad={report.bad_row_count}>
      <p className="text-sm text-slate-700" data-testid="dataset-summary">
        {t("training.dataset.summary", { format: report.format.toUpperCase(), rows: fmtInt(report.rows, locale), labels: fmtInt(report.labels.length, locale) })}
      </p>
      <section aria-labelledby={`${testId}-labels`}>
        <h4 id={`${testId}-labels`} className="text-sm font-semibold text-slate-800">{t("training.dataset.labels")}</h4>
        {labels.length === 0 ? (
          <p className="mt-1 text-sm text-slate-500">{t("training.dataset.noLabels")}</p>
        ) : (
          <>
            <ul className="mt-2 space-y-1">{labels.slice(0, SHOWN_LABELS).map(bar)}</ul>
            {labels.length > SHOWN_LABELS && (
              <details className="mt-1">
                <summary className="cursor-pointer text-sm text-brand-700">{t("training.dataset.moreLabels", { n: labels.length - SHOWN_LABELS })}</summary>
                <ul className="mt-2 space-y-1">{labels.slice(SHOWN_LABELS).map(bar)}</ul>
              </details>
            )}
          </>
        )}
      </section>
      <section aria-labelledby={`${testId}-bad`}>
        <h4 id={`${testId}-bad`} className="text-sm font-semibold text-slate-800">{t("training.dataset.badRows", { n: fmtInt(report.bad_row_count, locale) })}</h4>
        {report.bad_row_count === 0 ? (
          <p className="mt-1 text-sm text-emerald-700" data-testid="no-bad-rows">{t("training.dataset.noBadRows")}</p>
        ) : (
          <>
            <p className="mt-1 text-sm text-amber-800">{t("training.dataset.badLead")}</p>
            <div className="mt-2 max-h-64 overflow-auto rounded ring-1 ring-slate-200">
              <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="bad-rows">
                <thead className="sticky top-0 bg-slate-50">
                  <tr>
                    <th scope="col" className="px-3 py-1.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">{t("training.dataset.line")}</th>
                    <th scope="col" className="px-3 py-1.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">{t("training.dataset.reason")}</th>
                    <th scope="col" className="px-3 py-1.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">{t("training.dataset.detail")}</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {report.bad_rows.map((r, i) => (
                    <tr key={`${r.line}-${i}`} data-testid="bad-row" data-line={r.line} data-reason={r.reason}>
                      <td className="px-3 py-1.5 tabular-nums">{r.line}</td>
                      <td className="px-3 py-1.5">{reason(r.reason)}</td>
                      <td className="break-words px-3 py-1.5 text-slate-600">{renderMessage(messages, r.i18n) ?? r.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {report.bad_row_count > report.bad_rows.length && (
              <p className="mt-1 text-xs text-slate-500">{t("training.dataset.badTruncated", { shown: report.bad_rows.length, n: fmtInt(report.bad_row_count, locale) })}</p>
            )}
          </>
        )}
      </section>
    </div>
  );
}
