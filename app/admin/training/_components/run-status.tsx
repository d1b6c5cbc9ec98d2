"use client";
import { useI18n } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n/config";
import type { RunStatus } from "./training-run";

export const RUN_STATUS_STYLE: Record<RunStatus, string> = {
  queued: "bg-slate-100 text-slate-700 ring-slate-200",
  running: "bg-sky-50 text-sky-900 ring-sky-200",
  succeeded: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  failed: "bg-red-50 text-red-800 ring-red-200",
  cancelled: "bg-amber-50 text-amber-900 ring-amber-200",
};

const PHASES = ["parsing", "features", "search", "final", "registering", "done"];

/** A run's status badge. */
export function RunStatusBadge({ status }: { status: RunStatus }) {
  const { t } = useI18n();
  return (
    <span className={`inline-block rounded px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${RUN_STATUS_STYLE[status] ?? ""}`} data-testid="run-status" data-status={status}>
      {t(`training.status.${status}` as MessageKey)}
    </span>
  );
}

/** A phase of the trainer in the reader's language (an unknown one as the API names it). */
export function usePhaseLabel() {
  const { t } = useI18n();
  return (phase: string | undefined) => (phase && PHASES.includes(phase) ? t(`training.phase.${phase}` as MessageKey) : (phase ?? "—"));
}

/** A thin progress bar with its percentage for screen readers. */
export function ProgressBar({ fraction, label, testId }: { fraction: number; label: string; testId?: string }) {
  const p = Math.round(Math.max(0, Math.min(1, fraction)) * 100);
  return (
    <div className="h-2 overflow-hidden rounded bg-slate-100" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={p} data-testid={testId}>
      <div className="h-full bg-brand-500 transition-all" style={{ width: `${p}%` }} />
    </div>
  );
}
