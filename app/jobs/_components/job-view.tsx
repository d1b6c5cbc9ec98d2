"use client";
import Link from "next/link";
import { useEffect, useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n/config";
import { fmtBytes, fmtDateTime, fmtInt, fmtMs, fmtNum } from "@/app/_components/dashboard/format";
import { ErrorState, Skeleton } from "@/app/_components/dashboard/states";
import { apiFetch } from "@/app/_components/dashboard/use-json";
import { Modal } from "@/app/_components/modal";
import { Deliveries } from "./deliveries";
import { downloadName, ocrText, saveText, vadCsv } from "./downloads";
import { isLive, isOcrResult, isVadResult, type Job } from "./job";
import { JobProgressBar, JobStatusBadge, useJobErrorText, useProgressText } from "./job-status";
import { OcrPages } from "./ocr-pages";
import { usePolled } from "./use-job-poll";
import { VadOverview } from "./vad-overview";

const btn = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50";

/** Seconds between `from` and `to` (or now, ticking while `on`). */
function useElapsed(from: string | null | undefined, to: string | null | undefined, on: boolean): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    const id = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(id);
  }, [on]);
  if (!from) return null;
  return Math.max(0, ((to ? Date.parse(to) : now) - Date.parse(from)) / 1_000);
}

/**
 * One job, live while it runs (polled about once a second): progress, error, usage, Cancel, the webhook delivery
 * log, and when it has succeeded its results — OCR pages with their boxes and text, or VAD segments on the
 * recording's waveform — with downloads.
 */
export function JobView({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const progressText = useProgressText();
  const errorText = useJobErrorText();
  const url = `/api/v1/jobs/${encodeURIComponent(id)}`;
  const job = usePolled<Job>(url, (j) => isLive(j.status));
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const j = job.data;
  const live = isLive(j?.status);
  const elapsed = useElapsed(j?.started_at, j?.finished_at, live);

  async function cancel() {
    setBusy(true);
    setNotice(null);
    const r = await apiFetch<Job>(url, { method: "DELETE" });
    setBusy(false);
    setConfirm(false);
    if (r.ok) job.setData(r.data);
    setNotice(r.ok ? { ok: true, text: t("jobs.detail.cancelRequested") } : { ok: false, text: t("jobs.detail.actionFailed", { message: r.error.message }) });
    job.reload();
  }

  if (!j) return job.failure ? <ErrorState message={job.failure.status === 404 ? t("jobs.detail.notFound") : job.failure.message} onRetry={job.reload} /> : <Skeleton rows={1} />;
  const unitsLabel = j.task === "ocr" ? t("jobs.detail.unitsPages", { n: fmtInt(j.usage.units, locale) }) : t("jobs.detail.unitsSeconds", { n: fmtNum(j.usage.units, locale, 1) });
  const fact = (label: string, value: React.ReactNode, wide = false) => (
    <>
      <dt className="text-slate-500">{label}</dt>
      <dd className={`min-w-0 break-words ${wide ? "sm:col-span-3" : ""}`}>{value}</dd>
    </>
  );
  return (
    <article className="space-y-6" data-testid="job-view" data-job={j.id} data-status={j.status}>
      <div>
        <Link href="/jobs" className="text-sm text-brand-600 hover:underline">← {t("jobs.detail.back")}</Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="break-all text-2xl font-semibold tracking-tight">{j.file.name || j.id}</h1>
          <JobStatusBadge status={j.status} />
          {live && (
            <button type="button" className="ml-auto rounded-md border border-red-300 bg-white px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50 disabled:opacity-50" disabled={busy} onClick={() => setConfirm(true)} data-testid="job-cancel">
              {t("jobs.detail.cancel")}
            </button>
          )}
        </div>
        <p className="mt-1 font-mono text-sm text-slate-500">{j.id}</p>
      </div>

      <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-1 rounded-lg bg-white p-5 text-sm shadow-sm ring-1 ring-slate-200 sm:grid-cols-[auto_1fr_auto_1fr]">
        {fact(t("jobs.detail.task"), t(`jobs.task.${j.task}` as MessageKey))}
        {fact(t("jobs.detail.model"), <span className="font-mono">{j.model}{j.model_version ? `@${j.model_version}` : ""}</span>)}
        {fact(t("jobs.detail.file"), `${j.file.format.toUpperCase()} · ${fmtBytes(j.file.bytes, locale)}`)}
        {fact(t("jobs.detail.created"), fmtDateTime(j.created_at, locale, true))}
        {fact(t("jobs.detail.started"), j.started_at ? fmtDateTime(j.started_at, locale, true) : "—")}
        {fact(t("jobs.detail.finished"), j.finished_at ? fmtDateTime(j.finished_at, locale, true) : "—")}
        {j.expires_at && fact(t("jobs.detail.expires"), fmtDateTime(j.expires_at, locale), true)}
        {fact(t("jobs.detail.webhook"), j.webhook_url ? <span className="font-mono">{j.webhook_url}</span> : "—", true)}
        {j.metadata !== null && j.metadata !== undefined && fact(t("jobs.detail.metadata"), <code className="font-mono text-xs">{JSON.stringify(j.metadata)}</code>, true)}
      </dl>

      <p role="status" aria-live="polite" className={notice ? `rounded px-3 py-2 text-sm ${notice.ok ? "bg-emerald-50 text-emerald-900" : "bg-red-50 text-red-800"}` : "sr-only"} data-testid="job-notice">
        {notice?.text ?? ""}
      </p>

      <section aria-labelledby="progress-title" className="space-y-3 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="job-progress">
        <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
          <h2 id="progress-title" className="text-lg font-semibold">{t("jobs.detail.progress")}</h2>
          <span className="text-sm text-slate-700" data-testid="job-progress-text">{progressText(j)}</span>
          {elapsed !== null && <span className="ml-auto text-xs text-slate-500">{t(live ? "jobs.detail.elapsed" : "jobs.detail.took", { s: fmtInt(elapsed, locale) })}</span>}
        </div>
        <JobProgressBar job={j} />
        <dl className="flex flex-wrap gap-x-8 gap-y-1 text-sm" data-testid="job-usage">
          <div>
            <dt className="inline text-slate-500">{t("jobs.detail.units")}: </dt>
            <dd className="inline tabular-nums">{unitsLabel}</dd>
          </div>
          <div>
            <dt className="inline text-slate-500">{t("jobs.detail.compute")}: </dt>
            <dd className="inline tabular-nums">{fmtMs(j.usage.compute_ms, t, locale)}</dd>
          </div>
        </dl>
        {j.error && (
          <div role="alert" className="rounded bg-red-50 p-3 text-sm text-red-800 ring-1 ring-red-200" data-testid="job-error" data-code={j.error.code}>
            <p className="font-semibold">{j.status === "cancelled" ? t("jobs.detail.cancelledTitle") : t("jobs.detail.failedTitle")} · {j.error.type} · {j.error.code}</p>
            <p className="mt-1 break-words" data-testid="job-error-text">{errorText(j.error)}</p>
            {j.error.message && <p className="mt-1 break-words text-xs text-red-700" data-testid="job-error-message">{j.error.message}</p>}
            {j.result && <p className="mt-1 text-red-700">{t("jobs.detail.partial")}</p>}
          </div>
        )}
      </section>

      {j.result && (
        <section aria-labelledby="result-title" className="space-y-4" data-testid="job-result">
          <div className="flex flex-wrap items-center gap-2">
            <h2 id="result-title" className="mr-auto text-lg font-semibold">{t("jobs.detail.result")}</h2>
            <button type="button" className={btn} data-testid="download-json" onClick={() => saveText(downloadName(j, "json"), `${JSON.stringify(j.result, null, 2)}\n`, "application/json")}>
              {t("jobs.detail.downloadJson")}
            </button>
            {isOcrResult(j.result) && (
              <button type="button" className={btn} data-testid="download-text" onClick={() => isOcrResult(j.result) && saveText(downloadName(j, "txt"), ocrText(j.result), "text/plain;charset=utf-8")}>
                {t("jobs.detail.downloadText")}
              </button>
            )}
            {isVadResult(j.result) && (
              <button type="button" className={btn} data-testid="download-csv" onClick={() => isVadResult(j.result) && saveText(downloadName(j, "csv"), vadCsv(j.result), "text/csv;charset=utf-8")}>
                {t("jobs.detail.downloadCsv")}
              </button>
            )}
          </div>
          {isOcrResult(j.result) ? <OcrPages jobId={j.id} format={j.file.format} result={j.result} /> : isVadResult(j.result) ? <VadOverview jobId={j.id} bytes={j.file.bytes} result={j.result} /> : null}
        </section>
      )}

      <section aria-labelledby="deliveries-title" className="space-y-3 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
        <h2 id="deliveries-title" className="text-lg font-semibold">{t("jobs.deliveries.title")}</h2>
        <Deliveries jobId={j.id} webhookUrl={j.webhook_url} refresh={live ? 0 : 1} />
      </section>

      <Modal open={confirm} onClose={() => setConfirm(false)} title={t("jobs.detail.cancelTitle")} testId="confirm-cancel">
        <p className="text-sm text-slate-700">{t("jobs.detail.cancelBody")}</p>
        <div className="mt-4 flex justify-end gap-2">
          <button type="button" className={btn} onClick={() => setConfirm(false)}>{t("jobs.detail.keep")}</button>
          <button type="button" className="rounded-md bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-700 disabled:opacity-60" disabled={busy} data-testid="confirm-cancel-yes" onClick={() => void cancel()}>
            {t("jobs.detail.cancelYes")}
          </button>
        </div>
      </Modal>
    </article>
  );
}
