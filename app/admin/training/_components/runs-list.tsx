"use client";
import Link from "next/link";
import { useI18n } from "@/lib/i18n/client";
import { renderMessage } from "@/lib/i18n/message";
import { fmtDateTime, fmtInt } from "@/app/_components/dashboard/format";
import { EmptyState, ErrorState, MobileLabel, Skeleton, stack, thCls } from "@/app/_components/dashboard/states";
import { useJson } from "@/app/_components/dashboard/use-json";
import { pct } from "@/app/models/_components/format";
import { ProgressBar, RunStatusBadge, usePhaseLabel } from "./run-status";
import { isLive, type TrainingRun } from "./training-run";

/** Every training run, newest first, with its state; refreshed every few seconds so running ones move. */
export function RunsList() {
  const { t, locale, messages } = useI18n();
  const phaseLabel = usePhaseLabel();
  const runs = useJson<{ data: TrainingRun[] }>("/api/v1/training-runs", 3_000);
  if (runs.error && !runs.data) return <ErrorState message={runs.error.message} onRetry={runs.reload} />;
  if (!runs.data) return <Skeleton rows={1} />;
  const list = [...runs.data.data].sort((a, b) => b.created_at.localeCompare(a.created_at));
  if (list.length === 0)
    return (
      <EmptyState title={t("training.list.emptyTitle")} body={t("training.list.emptyBody")} testId="runs-empty">
        <Link href="/admin/training/new" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">{t("training.list.new")}</Link>
      </EmptyState>
    );
  return (
    <div className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200 md:overflow-x-auto">
      <table className={stack.table} data-testid="runs-table">
        <thead className={stack.thead}>
          <tr>
            <th scope="col" className={thCls}>{t("training.list.run")}</th>
            <th scope="col" className={thCls}>{t("training.list.status")}</th>
            <th scope="col" className={thCls}>{t("training.list.data")}</th>
            <th scope="col" className={thCls}>{t("training.list.best")}</th>
            <th scope="col" className={thCls}>{t("training.list.created")}</th>
          </tr>
        </thead>
        <tbody className={stack.tbody}>
          {list.map((r) => {
            const best = r.candidates.find((c) => c.version === r.best);
            return (
              <tr key={r.id} className={stack.tr} data-testid="run-row" data-run={r.id} data-status={r.status}>
                <th scope="row" className={`${stack.cell} ${stack.wide} text-left font-normal`}>
                  <Link href={`/admin/training/${encodeURIComponent(r.id)}`} className="font-medium text-brand-700 hover:underline" data-testid="run-link">{r.name || r.model_id}</Link>
                  <span className="block font-mono text-xs text-slate-500">{r.id} → {r.model_id}</span>
                </th>
                <td className={`${stack.cell} md:min-w-48`}>
                  <MobileLabel>{t("training.list.status")}</MobileLabel>
                  <RunStatusBadge status={r.status} />
                  {isLive(r.status) && (
                    <div className="mt-1 space-y-1 text-xs text-slate-600">
                      <p>{r.status === "queued" ? t("training.status.queued") : phaseLabel(r.progress.phase)} · {Math.round(r.progress.fraction * 100)} %</p>
                      <ProgressBar fraction={r.progress.fraction} label={t("training.run.progress")} />
                    </div>
                  )}
                  {r.error && <span className="mt-1 block break-words text-xs text-red-800">{renderMessage(messages, r.error.i18n) ?? r.error.message}</span>}
                </td>
                <td className={`${stack.cell} tabular-nums`}>
                  <MobileLabel>{t("training.list.data")}</MobileLabel>
                  {t("training.list.dataValue", { rows: fmtInt(r.dataset.rows, locale), labels: fmtInt(r.dataset.labels.length, locale) })}
                  {r.dataset.name && <span className="block truncate font-mono text-xs text-slate-500">{r.dataset.name}</span>}
                </td>
                <td className={stack.cell}>
                  <MobileLabel>{t("training.list.best")}</MobileLabel>
                  {best ? (
                    <span>
                      <span className="font-mono text-xs">{best.version}</span> · {pct(best.accuracy)}
                    </span>
                  ) : (
                    "—"
                  )}
                </td>
                <td className={`${stack.cell} md:whitespace-nowrap`}>
                  <MobileLabel>{t("training.list.created")}</MobileLabel>
                  {fmtDateTime(r.created_at, locale)}
                  {r.created_by && <span className="block text-xs text-slate-500">{r.created_by}</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
