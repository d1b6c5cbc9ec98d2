"use client";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import type { BenchmarkRunOutput } from "@/lib/api/schemas/selection";
import { useI18n } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n/config";

const POLL_MS = 1000;
const STATUS: Record<BenchmarkRunOutput["status"], MessageKey> = {
  running: "selection.run.statusRunning",
  cancelling: "selection.run.statusCancelling",
  cancelled: "selection.run.statusCancelled",
  succeeded: "selection.run.statusSucceeded",
  failed: "selection.run.statusFailed",
};
const STEP_TONE: Record<string, string> = {
  done: "bg-emerald-500",
  running: "bg-brand-500",
  failed: "bg-red-500",
  cancelled: "bg-slate-400",
  skipped: "bg-slate-300",
  pending: "bg-slate-200",
};

function live(r: BenchmarkRunOutput | null): boolean {
  return r?.status === "running" || r?.status === "cancelling";
}

/** Admin panel: start a run (mode, variants), watch per-model/per-step progress, cancel. The server checks the role. */
export function BenchmarkPanel({ initialRun, models }: { initialRun: BenchmarkRunOutput | null; models: { id: string; task: string }[] }) {
  const { t } = useI18n();
  const router = useRouter();
  const [run, setRun] = useState(initialRun);
  const [mode, setMode] = useState<"quick" | "full">("quick");
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const wasLive = useRef(live(initialRun));

  const poll = useCallback(async (id: string) => {
    const res = await fetch(`/api/v1/admin/benchmarks/${id}`, { cache: "no-store" });
    if (res.ok) setRun((await res.json()) as BenchmarkRunOutput);
  }, []);

  useEffect(() => {
    if (!run || !live(run)) {
      // A run that just finished: re-render the server page so the charts show the new figures.
      if (wasLive.current) router.refresh();
      wasLive.current = false;
      return;
    }
    wasLive.current = true;
    const timer = setTimeout(() => void poll(run.id), POLL_MS);
    return () => clearTimeout(timer);
  }, [run, poll, router]);

  async function post(url: string, body?: unknown) {
    setBusy(true);
    setError(null);
    try {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body ?? {}) });
      if (res.ok) setRun((await res.json()) as BenchmarkRunOutput);
      else {
        const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
        setError(t("selection.run.error", { message: body?.error?.message ?? String(res.status) }));
      }
    } finally {
      setBusy(false);
    }
  }

  const toggleModel = (id: string) => setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]));
  const running = live(run);
  return (
    <section aria-labelledby="run-title" className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="benchmark-panel">
      <h2 id="run-title" className="font-semibold">{t("selection.run.title")}</h2>
      <p className="mt-1 text-sm text-slate-600">{t("selection.run.lead")}</p>
      <div className="mt-4 flex flex-wrap items-end gap-4">
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          {t("selection.run.mode")}
          <select value={mode} onChange={(e) => setMode(e.target.value as "quick" | "full")} className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm" data-testid="benchmark-mode" disabled={running}>
            <option value="quick">{t("selection.run.quick")}</option>
            <option value="full">{t("selection.run.full")}</option>
          </select>
        </label>
        <fieldset className="flex flex-wrap gap-x-3 gap-y-1 text-sm" disabled={running}>
          <legend className="mb-1 font-medium text-slate-700">{t("selection.run.models")} <span className="font-normal text-slate-500">({chosen.length ? chosen.length : t("selection.run.allModels")})</span></legend>
          {models.map((m) => (
            <label key={m.id} className="flex items-center gap-1 font-mono text-xs">
              <input type="checkbox" checked={chosen.includes(m.id)} onChange={() => toggleModel(m.id)} data-testid={`benchmark-model-${m.id}`} />
              {m.id}
            </label>
          ))}
        </fieldset>
        <div className="ml-auto flex gap-2">
          {running ? (
            <button type="button" className="rounded-md border border-red-300 px-4 py-2 text-sm font-medium text-red-700 hover:bg-red-50 disabled:opacity-50" onClick={() => run && void post(`/api/v1/admin/benchmarks/${run.id}/cancel`)} disabled={busy || run?.status === "cancelling"} data-testid="benchmark-cancel">
              {t("selection.run.cancel")}
            </button>
          ) : (
            <button type="button" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-50" onClick={() => void post("/api/v1/admin/benchmarks", { mode, ...(chosen.length ? { models: chosen } : {}) })} disabled={busy} data-testid="benchmark-start">
              {t("selection.run.start")}
            </button>
          )}
        </div>
      </div>
      {error && <p role="alert" className="mt-3 rounded bg-red-50 p-2 text-sm text-red-700" data-testid="benchmark-error">{error}</p>}
      {run && (
        <div className="mt-5 space-y-3" data-testid="benchmark-progress" data-status={run.status}>
          <div className="flex flex-wrap items-center gap-3 text-sm">
            <span className="font-medium">{t("selection.run.lastRun")}</span>
            <span className="rounded bg-slate-100 px-2 py-0.5 text-xs" data-testid="benchmark-status">{t(STATUS[run.status])}</span>
            <span className="text-xs text-slate-500">{run.mode} · {t("selection.run.started", { when: `${run.started_at.slice(0, 19).replace("T", " ")} UTC` })}</span>
            <span className="ml-auto font-mono text-xs">{Math.round(run.fraction_done * 100)}%</span>
          </div>
          <div className="h-2 overflow-hidden rounded bg-slate-100" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(run.fraction_done * 100)}>
            <div className="h-full bg-brand-500 transition-all" style={{ width: `${Math.round(run.fraction_done * 100)}%` }} />
          </div>
          <ul className="grid gap-2 sm:grid-cols-2">
            {run.models.map((m) => (
              <li key={m.id} className="text-xs" data-testid={`benchmark-model-progress-${m.id}`}>
                <span className="font-mono">{m.id}</span>
                <div className="mt-1 flex gap-1">
                  {m.steps.map((s) => (
                    <span key={s.name} className="flex-1" title={`${t(`selection.run.step${s.name[0].toUpperCase()}${s.name.slice(1)}` as MessageKey)}: ${s.status}${s.error ? ` — ${s.error}` : ""}`}>
                      <span className="block h-2 overflow-hidden rounded bg-slate-200">
                        <span className={`block h-full ${STEP_TONE[s.status] ?? "bg-slate-200"}`} style={{ width: s.status === "running" && s.total ? `${Math.round(((s.done ?? 0) / s.total) * 100)}%` : "100%" }} />
                      </span>
                    </span>
                  ))}
                </div>
              </li>
            ))}
          </ul>
          {run.error && <p className="text-xs text-red-700">{run.error}</p>}
        </div>
      )}
    </section>
  );
}
