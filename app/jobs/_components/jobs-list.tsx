"use client";
import Link from "next/link";
import { useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n/config";
import { fmtBytes, fmtDateTime } from "@/app/_components/dashboard/format";
import { EmptyState, ErrorState, MobileLabel, selectCls, stack, thCls } from "@/app/_components/dashboard/states";
import { apiFetch } from "@/app/_components/dashboard/use-json";
import { isLive, JOB_STATUSES, type Job, type JobList } from "./job";
import { JobProgressBar, JobStatusBadge, useJobErrorText, useProgressText } from "./job-status";
import { usePolled } from "./use-job-poll";

const PAGE = 20;

/** The user's jobs, newest first, filtered by status and task; live rows poll about once a second until done. */
export function JobsList({ nonce, fresh }: { nonce: number; fresh: Job | null }) {
  const { t, locale } = useI18n();
  const progressText = useProgressText();
  const errorText = useJobErrorText();
  const [status, setStatus] = useState("");
  const [task, setTask] = useState("");
  const [older, setOlder] = useState<{ jobs: Job[]; cursor: string | null; more: boolean } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const qs = new URLSearchParams({ limit: String(PAGE), ...(status ? { status } : {}), ...(task ? { task } : {}) }).toString();
  // `nonce` changes when a job was submitted: the first page is fetched again (and polled while it runs).
  const list = usePolled<JobList>(`/api/v1/jobs?${qs}`, (l) => l.data.some((j) => isLive(j.status)), nonce);

  async function loadMore() {
    const cursor = older ? older.cursor : list.data?.next_cursor;
    if (!cursor) return;
    setLoadingMore(true);
    const r = await apiFetch<JobList>(`/api/v1/jobs?${qs}&cursor=${encodeURIComponent(cursor)}`);
    setLoadingMore(false);
    if (r.ok) setOlder((o) => ({ jobs: [...(o?.jobs ?? []), ...r.data.data], cursor: r.data.next_cursor, more: r.data.has_more }));
  }

  const filters = (
    <div className="flex flex-wrap items-end gap-3 [&_select]:w-auto" data-testid="job-filters">
      <label className="text-sm font-medium text-slate-700">
        {t("jobs.list.status")}
        <select value={status} onChange={(e) => { setStatus(e.target.value); setOlder(null); }} className={selectCls} data-testid="filter-status">
          <option value="">{t("jobs.list.all")}</option>
          {JOB_STATUSES.map((s) => <option key={s} value={s}>{t(`jobs.status.${s}` as MessageKey)}</option>)}
        </select>
      </label>
      <label className="text-sm font-medium text-slate-700">
        {t("jobs.list.task")}
        <select value={task} onChange={(e) => { setTask(e.target.value); setOlder(null); }} className={selectCls} data-testid="filter-task">
          <option value="">{t("jobs.list.all")}</option>
          <option value="ocr">{t("jobs.task.ocr")}</option>
          <option value="vad">{t("jobs.task.vad")}</option>
        </select>
      </label>
    </div>
  );

  let body;
  if (list.failure && !list.data) body = <ErrorState message={list.failure.message} onRetry={list.reload} />;
  else if (!list.data) body = <div aria-busy="true" role="status" className="h-24 animate-pulse rounded-lg bg-slate-200" data-testid="loading"><span className="sr-only">{t("usage.state.loading")}</span></div>;
  else {
    const first = list.data.data;
    // A job just submitted shows at once, before the list has been fetched again.
    const head = fresh && !first.some((j) => j.id === fresh.id) && (!status || status === fresh.status) && (!task || task === fresh.task) ? [fresh, ...first] : first;
    const jobs = [...head, ...(older?.jobs ?? []).filter((o) => !head.some((j) => j.id === o.id))];
    const more = older ? older.more : list.data.has_more;
    body =
      jobs.length === 0 ? (
        <EmptyState title={status || task ? t("jobs.list.noneFiltered") : t("jobs.list.emptyTitle")} body={status || task ? undefined : t("jobs.list.emptyBody")} testId="jobs-empty" />
      ) : (
        <div className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200 md:overflow-x-auto">
          <table className={stack.table} data-testid="jobs-table">
            <thead className={stack.thead}>
              <tr>
                <th scope="col" className={thCls}>{t("jobs.list.file")}</th>
                <th scope="col" className={thCls}>{t("jobs.list.task")}</th>
                <th scope="col" className={thCls}>{t("jobs.list.status")}</th>
                <th scope="col" className={thCls}>{t("jobs.list.created")}</th>
              </tr>
            </thead>
            <tbody className={stack.tbody}>
              {jobs.map((j) => (
                <tr key={j.id} className={stack.tr} data-testid="job-row" data-job={j.id} data-status={j.status}>
                  <th scope="row" className={`${stack.cell} ${stack.wide} text-left font-normal`}>
                    <Link href={`/jobs/${encodeURIComponent(j.id)}`} className="break-all font-medium text-brand-700 hover:underline" data-testid="job-link">{j.file.name || j.id}</Link>
                    <span className="block font-mono text-xs text-slate-500">{j.id} · {j.file.format.toUpperCase()} · {fmtBytes(j.file.bytes, locale)}</span>
                  </th>
                  <td className={stack.cell}>
                    <MobileLabel>{t("jobs.list.task")}</MobileLabel>
                    {t(`jobs.taskShort.${j.task}` as MessageKey)}
                    <span className="block break-all font-mono text-xs text-slate-500">{j.model}</span>
                  </td>
                  <td className={`${stack.cell} md:min-w-40`}>
                    <MobileLabel>{t("jobs.list.status")}</MobileLabel>
                    <JobStatusBadge status={j.status} />
                    <div className="mt-1 space-y-1 text-xs text-slate-600">
                      <p data-testid="job-progress-text">{progressText(j)}</p>
                      <JobProgressBar job={j} testId="job-row-bar" />
                    </div>
                    {j.error && <span className="mt-1 block break-words text-xs text-red-800" title={j.error.message} data-testid="job-row-error">{errorText(j.error)}</span>}
                  </td>
                  <td className={`${stack.cell} md:whitespace-nowrap`}>
                    <MobileLabel>{t("jobs.list.created")}</MobileLabel>
                    {fmtDateTime(j.created_at, locale)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {more && (
            <div className="border-t border-slate-100 p-3 text-center">
              <button type="button" onClick={() => void loadMore()} disabled={loadingMore} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50" data-testid="jobs-more">
                {t("jobs.list.more")}
              </button>
            </div>
          )}
        </div>
      );
  }

  return (
    <section aria-labelledby="jobs-title" className="space-y-3" data-testid="jobs-list">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id="jobs-title" className="text-lg font-semibold">{t("jobs.list.title")}</h2>
        {filters}
      </div>
      {body}
    </section>
  );
}
