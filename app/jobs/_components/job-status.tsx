"use client";
import { useI18n } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n/config";
import { renderMessage } from "@/lib/i18n/message";
import { fmtInt, fmtNum } from "@/app/_components/dashboard/format";
import { jobFraction, type Job, type JobStatus } from "./job";

const STATUS_STYLE: Record<JobStatus, string> = {
  queued: "bg-slate-100 text-slate-700 ring-slate-200",
  running: "bg-sky-50 text-sky-900 ring-sky-200",
  succeeded: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  failed: "bg-red-50 text-red-800 ring-red-200",
  cancelled: "bg-amber-50 text-amber-900 ring-amber-200",
};

/** A job's status badge. */
export function JobStatusBadge({ status }: { status: JobStatus }) {
  const { t } = useI18n();
  return (
    <span className={`inline-block rounded px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STATUS_STYLE[status] ?? ""}`} data-testid="job-status" data-status={status}>
      {t(`jobs.status.${status}` as MessageKey)}
    </span>
  );
}

/** "3 / 12 pages", "125 / 3,600 s of audio", or the units done while the total is not known yet. */
export function useProgressText() {
  const { t, locale } = useI18n();
  return (j: Pick<Job, "progress">) => {
    const { done, total, unit } = j.progress;
    const n = (v: number) => (unit === "page" ? fmtInt(v, locale) : fmtNum(v, locale, 0));
    if (total === null || total === undefined) return t(unit === "page" ? "jobs.progress.pagesSoFar" : "jobs.progress.secondsSoFar", { done: n(done) });
    return t(unit === "page" ? "jobs.progress.pages" : "jobs.progress.seconds", { done: n(done), total: n(total) });
  };
}

/** The job's progress bar: its share done, or a moving stripe while the total is not known yet. */
export function JobProgressBar({ job, testId = "job-bar" }: { job: Pick<Job, "status" | "progress">; testId?: string }) {
  const { t } = useI18n();
  const f = jobFraction(job);
  const p = f === null ? null : Math.round(f * 100);
  return (
    <div
      className="h-2 overflow-hidden rounded bg-slate-100"
      role="progressbar"
      aria-label={t("jobs.detail.progress")}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={p ?? undefined}
      data-testid={testId}
      data-fraction={f ?? ""}
    >
      {p === null ? <div className="h-full w-1/3 animate-pulse rounded bg-brand-500/40" /> : <div className={`h-full transition-all ${job.status === "failed" ? "bg-red-400" : job.status === "cancelled" ? "bg-amber-400" : "bg-brand-500"}`} style={{ width: `${p}%` }} />}
    </div>
  );
}

/** A job's error in the reader's language from its catalog key (jobs.error.<code>, lib/jobs/failure.ts), else as sent. */
export function useJobErrorText() {
  const { t, messages } = useI18n();
  return (e: NonNullable<Job["error"]>): string => {
    const key = e.i18n?.key;
    if (key && /^jobs\.error\.[a-z_]+$/.test(key)) {
      const params = Object.fromEntries(Object.entries(e.i18n?.params ?? {}).filter((p): p is [string, string | number] => typeof p[1] === "string" || typeof p[1] === "number"));
      const text = t(key as MessageKey, params);
      if (text !== key) return text;
    }
    return renderMessage(messages, e.i18n) ?? e.message;
  };
}
