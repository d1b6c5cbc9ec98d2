"use client";
import { useState } from "react";
import type { FrontierOutput } from "@/lib/api/schemas/selection";
import { useI18n } from "@/lib/i18n/client";
import { FrontierChart, type Axis } from "./frontier-chart";
import { Leaderboard } from "./leaderboard";

/** One task: the frontier chart (latency or memory axis) above its leaderboard. */
export function TaskSection({ view, isAdmin }: { view: FrontierOutput; isAdmin: boolean }) {
  const { t } = useI18n();
  const [axis, setAxis] = useState<Axis>("latency");
  const title = view.task === "ocr" ? t("selection.taskOcr") : view.task === "text" ? t("selection.taskLangid") : t("selection.taskVad");
  const tab = (a: Axis, label: string) => (
    <button
      type="button"
      role="tab"
      aria-selected={axis === a}
      onClick={() => setAxis(a)}
      className={`rounded px-3 py-1 text-sm ${axis === a ? "bg-brand-600 text-white" : "text-slate-600 hover:bg-slate-100"}`}
      data-testid={`axis-${view.task}-${a}`}
    >
      {label}
    </button>
  );
  return (
    <section aria-labelledby={`task-${view.task}`} className="space-y-4" data-testid={`selection-task-${view.task}`}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id={`task-${view.task}`} className="text-lg font-semibold">{title}</h2>
        {view.points.length > 0 && (
          <div role="tablist" className="flex gap-1 rounded-md bg-white p-1 ring-1 ring-slate-200">
            {tab("latency", t("selection.chart.vsLatency"))}
            {tab("memory", t("selection.chart.vsMemory"))}
          </div>
        )}
      </div>
      {view.points.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600" data-testid={`no-figures-${view.task}`}>
          {t("selection.noFigures")} {isAdmin ? t("selection.noFiguresAdmin") : t("selection.noFiguresUser")}
        </p>
      ) : (
        <>
          <div className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
            <FrontierChart task={view.task} points={view.points} axis={axis} concurrency={view.concurrency} />
          </div>
          <Leaderboard task={view.task} points={view.points} />
        </>
      )}
      {view.unmeasured.length > 0 && view.points.length > 0 && <p className="text-xs text-slate-500">{t("selection.unmeasured", { models: view.unmeasured.join(", ") })}</p>}
    </section>
  );
}
