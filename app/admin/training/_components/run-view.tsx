"use client";
import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import type { ModelDetail } from "@/lib/api/schemas/models";
import { useI18n } from "@/lib/i18n/client";
import { renderMessage } from "@/lib/i18n/message";
import { fmtDateTime, fmtInt } from "@/app/_components/dashboard/format";
import { ErrorState, Skeleton } from "@/app/_components/dashboard/states";
import { apiFetch, type ApiFailure } from "@/app/_components/dashboard/use-json";
import { Modal } from "@/app/_components/modal";
import { CandidatesPanel } from "./candidates-panel";
import { DatasetReport } from "./dataset-report";
import { LossChart } from "./loss-chart";
import { ProgressBar, RunStatusBadge, usePhaseLabel } from "./run-status";
import { isLive, type TrainingRun } from "./training-run";

/** About once a second while the run trains (the "live" curve); the model's versions while they are measured. */
const RUN_POLL_MS = 1_000;
const MODEL_POLL_MS = 3_000;
const btn = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50";

/** Seconds since `iso`, ticking once a second while `on`. */
function useElapsed(iso: string | null, end: string | null, on: boolean): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    const id = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(id);
  }, [on]);
  if (!iso) return null;
  return Math.max(0, ((end ? Date.parse(end) : now) - Date.parse(iso)) / 1_000);
}

/**
 * One training run, live: status, phase and progress, the loss curve of every candidate (polled about once a
 * second while it trains), Cancel; when it has succeeded, its candidates on their frontier with Deploy, and links
 * to the model's card and to the playground's Classify tab. The dataset report stays one click away.
 */
export function RunView({ id }: { id: string }) {
  const { t, locale, messages } = useI18n();
  const phaseLabel = usePhaseLabel();
  const url = `/api/v1/training-runs/${encodeURIComponent(id)}`;
  const [run, setRun] = useState<TrainingRun | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [detail, setDetail] = useState<ModelDetail | null>(null);
  const [nonce, setNonce] = useState(0);
  const [modelNonce, setModelNonce] = useState(0);
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const live = isLive(run?.status);
  const reload = useCallback(() => setNonce((n) => n + 1), []);

  // The run: fetched now, then again a second after each answer while it is queued or running.
  useEffect(() => {
    const ctrl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = () =>
      apiFetch<TrainingRun>(url, { signal: ctrl.signal }).then(
        (r) => {
          if (ctrl.signal.aborted) return;
          if (r.ok) {
            setRun(r.data);
            setFailure(null);
            if (isLive(r.data.status)) timer = setTimeout(() => void tick(), RUN_POLL_MS);
          } else {
            setFailure(r.error);
            // A blip (restart, network) while it trains: keep watching.
            if (r.error.status === 0 || r.error.status >= 500) timer = setTimeout(() => void tick(), RUN_POLL_MS * 3);
          }
        },
        () => undefined,
      );
    void tick();
    return () => {
      ctrl.abort();
      clearTimeout(timer);
    };
  }, [url, nonce]);

  // The trained model's versions (status, traffic, this host's figures) once the run has registered them.
  const modelId = run?.status === "succeeded" ? run.model_id : null;
  const measuring = (detail?.versions ?? []).some((v) => v.status === "validating" || v.status === "measuring");
  useEffect(() => {
    if (!modelId) return;
    const ctrl = new AbortController();
    void apiFetch<ModelDetail>(`/api/v1/models/${encodeURIComponent(modelId)}`, { signal: ctrl.signal }).then(
      (r) => !ctrl.signal.aborted && r.ok && setDetail(r.data),
      () => undefined,
    );
    return () => ctrl.abort();
  }, [modelId, modelNonce]);
  useEffect(() => {
    if (!modelId || (detail && !measuring)) return;
    const timer = setInterval(() => setModelNonce((n) => n + 1), MODEL_POLL_MS);
    return () => clearInterval(timer);
  }, [modelId, detail, measuring]);

  const elapsed = useElapsed(run?.started_at ?? null, run?.finished_at ?? null, live);

  async function cancel() {
    setBusy(true);
    setNotice(null);
    const r = await apiFetch<TrainingRun>(url, { method: "DELETE" });
    setBusy(false);
    setConfirm(false);
    if (r.ok) setRun(r.data);
    setNotice(r.ok ? { ok: true, text: t("training.run.cancelled") } : { ok: false, text: t("training.run.failedAction", { message: r.error.message }) });
    reload();
  }

  async function deploy(version: string) {
    if (!run) return;
    setBusy(true);
    setNotice(null);
    const r = await apiFetch<unknown>(`/api/v1/admin/models/${encodeURIComponent(run.model_id)}`, { method: "PATCH", json: { traffic: { [version]: 100 } } });
    setBusy(false);
    setNotice(r.ok ? { ok: true, text: t("training.run.deployed", { version, model: run.model_id }) } : { ok: false, text: t("training.run.failedAction", { message: r.error.message }) });
    setModelNonce((n) => n + 1);
    reload();
  }

  if (!run) return failure ? <ErrorState message={failure.message} onRetry={reload} /> : <Skeleton rows={1} />;
  const fraction = run.status === "succeeded" ? 1 : run.progress.fraction;
  const bestName = run.candidates.find((c) => c.version === run.best)?.name ?? null;
  const budget = run.options.budget_s;
  return (
    <article className="space-y-6" data-testid="training-run" data-run={run.id} data-status={run.status}>
      <div>
        <Link href="/admin/training" className="text-sm text-brand-600 hover:underline">← {t("training.run.back")}</Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h2 className="text-xl font-semibold">{run.name || run.model_id}</h2>
          <RunStatusBadge status={run.status} />
          {live && (
            <button type="button" className="ml-auto rounded-md border border-red-300 bg-white px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50 disabled:opacity-50" disabled={busy} onClick={() => setConfirm(true)} data-testid="run-cancel">
              {t("training.run.cancel")}
            </button>
          )}
        </div>
        <p className="mt-1 font-mono text-sm text-slate-500">{run.id} → {run.model_id}</p>
      </div>

      <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-1 rounded-lg bg-white p-5 text-sm shadow-sm ring-1 ring-slate-200 sm:grid-cols-[auto_1fr_auto_1fr]">
        <dt className="text-slate-500">{t("training.run.model")}</dt>
        <dd className="font-mono">{run.status === "succeeded" ? <Link href={`/admin/models/${encodeURIComponent(run.model_id)}`} className="text-brand-700 hover:underline">{run.model_id}</Link> : run.model_id}</dd>
        <dt className="text-slate-500">{t("training.run.objective")}</dt>
        <dd>{t(`training.objective.${run.options.objective}`)}</dd>
        <dt className="text-slate-500">{t("training.run.budget")}</dt>
        <dd>{t("training.run.seconds", { s: fmtInt(budget, locale) })}</dd>
        <dt className="text-slate-500">{t("training.run.seed")}</dt>
        <dd className="tabular-nums">{run.options.seed}</dd>
        <dt className="text-slate-500">{t("training.run.created")}</dt>
        <dd>{fmtDateTime(run.created_at, locale, true)}</dd>
        <dt className="text-slate-500">{t("training.run.finished")}</dt>
        <dd>{run.finished_at ? fmtDateTime(run.finished_at, locale, true) : "—"}</dd>
        <dt className="text-slate-500">{t("training.run.dataset")}</dt>
        <dd className="sm:col-span-3">
          {run.dataset.name && <span className="font-mono">{run.dataset.name} · </span>}
          {t("training.dataset.summary", { format: run.dataset.format.toUpperCase(), rows: fmtInt(run.dataset.rows, locale), labels: fmtInt(run.dataset.labels.length, locale) })}
        </dd>
        {run.created_by && (
          <>
            <dt className="text-slate-500">{t("training.run.startedBy")}</dt>
            <dd className="sm:col-span-3">{run.created_by}</dd>
          </>
        )}
      </dl>

      <p role="status" aria-live="polite" className={notice ? `rounded px-3 py-2 text-sm ${notice.ok ? "bg-emerald-50 text-emerald-900" : "bg-red-50 text-red-800"}` : "sr-only"} data-testid="run-notice">
        {notice?.text ?? ""}
      </p>

      <section aria-labelledby="progress-title" className="space-y-3 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="run-progress" data-fraction={fraction} data-phase={run.progress.phase}>
        <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
          <h3 id="progress-title" className="text-lg font-semibold">{t("training.run.progress")}</h3>
          <span className="text-sm text-slate-700" data-testid="run-phase">
            {run.status === "succeeded" ? t("training.phase.done") : run.status === "queued" ? t("training.status.queued") : live ? phaseLabel(run.progress.phase) : t(`training.status.${run.status}`)}
            {live && run.progress.candidate && ` · ${run.progress.candidate}`}
            {live && run.progress.epoch !== undefined && ` · ${t("training.run.epochN", { n: run.progress.epoch })}`}
          </span>
          <span className="ml-auto font-mono text-sm tabular-nums" data-testid="run-percent">{Math.round(fraction * 100)} %</span>
        </div>
        <ProgressBar fraction={fraction} label={t("training.run.progress")} testId="run-bar" />
        {elapsed !== null && (
          <p className="text-xs text-slate-500">{t("training.run.elapsed", { s: fmtInt(elapsed, locale), budget: fmtInt(budget, locale) })}</p>
        )}
        {run.error && (
          <div role="alert" className="rounded bg-red-50 p-3 text-sm text-red-800 ring-1 ring-red-200" data-testid="run-error">
            <p className="font-semibold">{run.status === "cancelled" ? t("training.run.cancelledTitle") : t("training.run.failedTitle")} · {run.error.code}</p>
            <p className="mt-1 break-words">{renderMessage(messages, run.error.i18n) ?? run.error.message}</p>
          </div>
        )}
      </section>

      <section aria-labelledby="curve-title" className="space-y-3 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
        <h3 id="curve-title" className="text-lg font-semibold">{t("training.run.curve")}</h3>
        <p className="text-sm text-slate-600">{t("training.run.curveLead")}</p>
        <LossChart curve={run.curve} best={bestName} kept={run.candidates.map((c) => c.name)} />
      </section>

      {run.status === "succeeded" && run.candidates.length > 0 && <CandidatesPanel modelId={run.model_id} candidates={run.candidates} best={run.best} detail={detail} busy={busy} onDeploy={(v) => void deploy(v)} />}

      <details className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
        <summary className="cursor-pointer text-lg font-semibold">{t("training.run.datasetTitle")}</summary>
        <div className="mt-4">
          <DatasetReport report={run.dataset} testId="run-dataset" />
        </div>
      </details>

      <Modal open={confirm} onClose={() => setConfirm(false)} title={t("training.run.cancelTitle")} testId="confirm-cancel">
        <p className="text-sm text-slate-700">{t("training.run.cancelBody", { id: run.id })}</p>
        <div className="mt-4 flex justify-end gap-2">
          <button type="button" className={btn} onClick={() => setConfirm(false)}>{t("training.run.keepTraining")}</button>
          <button type="button" className="rounded-md bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-700 disabled:opacity-60" disabled={busy} data-testid="confirm-cancel-yes" onClick={() => void cancel()}>
            {t("training.run.cancelYes")}
          </button>
        </div>
      </Modal>
    </article>
  );
}
