"use client";
import Link from "next/link";
import { useState } from "react";
import type { ModelDetail } from "@/lib/api/schemas/models";
import { useI18n } from "@/lib/i18n/client";
import { fmtInt } from "@/app/_components/dashboard/format";
import { VersionStatus } from "@/app/_components/model-version";
import { bytes, ms, pct } from "@/app/models/_components/format";
import { FrontierPlot, type FrontierAxis, type FrontierCandidate } from "./frontier-plot";
import type { RunCandidate } from "./training-run";

const btn = "rounded-md border border-slate-300 bg-white px-2.5 py-1 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50";
const th = "whitespace-nowrap px-2 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600";
const td = "whitespace-nowrap px-2 py-2 text-sm";

/**
 * The run's candidates, each a version of the trained model: on an accuracy-vs-size frontier (or vs p95 latency
 * once this host has measured them), and in a table with their figures, traffic and a Deploy button — which sends
 * the version all of the model's traffic through the registry's PATCH.
 */
export function CandidatesPanel({ modelId, candidates, best, detail, busy, onDeploy }: { modelId: string; candidates: RunCandidate[]; best: string | null; detail: ModelDetail | null; busy: boolean; onDeploy: (version: string) => void }) {
  const { t, locale } = useI18n();
  const live = new Map((detail?.versions ?? []).map((v) => [v.version, v]));
  const rows = candidates.map((c) => {
    const v = live.get(c.version);
    return { ...c, traffic: v?.traffic_percent ?? c.traffic_percent ?? 0, status: v?.status ?? null, statusReason: v?.status_reason ?? null, p95: v?.figures?.p95_ms ?? null };
  });
  const measured = rows.filter((r) => r.p95 !== null).length;
  const [axis, setAxis] = useState<FrontierAxis>("size");
  const points: FrontierCandidate[] = rows.map((r) => ({ version: r.version, accuracy: r.accuracy, bytes: r.bytes, p95Ms: r.p95, best: r.version === best, serving: r.traffic === 100 }));
  const shown: FrontierAxis = axis === "latency" && measured === 0 ? "size" : axis;
  return (
    <section aria-labelledby="candidates-title" className="space-y-4 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="candidates">
      <div className="flex flex-wrap items-center gap-3">
        <h3 id="candidates-title" className="text-lg font-semibold">{t("training.frontier.title")}</h3>
        <div role="radiogroup" aria-label={t("training.frontier.axis")} className="ml-auto flex gap-1 rounded-md bg-slate-100 p-0.5 text-sm">
          {(["size", "latency"] as const).map((a) => (
            <button
              key={a}
              type="button"
              role="radio"
              aria-checked={shown === a}
              disabled={a === "latency" && measured === 0}
              title={a === "latency" && measured === 0 ? t("training.frontier.noLatency") : undefined}
              onClick={() => setAxis(a)}
              data-testid={`axis-${a}`}
              className={`rounded px-2.5 py-1 font-medium disabled:opacity-50 ${shown === a ? "bg-white text-slate-900 shadow-sm" : "text-slate-600"}`}
            >
              {a === "size" ? t("training.frontier.bySize") : t("training.frontier.byLatency")}
            </button>
          ))}
        </div>
      </div>
      <p className="text-sm text-slate-600">{t("training.frontier.lead")}</p>
      <FrontierPlot candidates={points} axis={shown} />
      <div className="overflow-x-auto rounded ring-1 ring-slate-200">
        <table className="min-w-full divide-y divide-slate-200" data-testid="candidates-table">
          <thead className="bg-slate-50">
            <tr>
              <th scope="col" className={th}>{t("training.frontier.version")}</th>
              <th scope="col" className={`${th} text-right`}>{t("training.frontier.accuracy")}</th>
              <th scope="col" className={`${th} text-right`}>{t("training.frontier.macroF1")}</th>
              <th scope="col" className={`${th} text-right`}>{t("training.frontier.params")}</th>
              <th scope="col" className={`${th} text-right`}>{t("training.frontier.size")}</th>
              <th scope="col" className={`${th} text-right`}>{t("training.frontier.p95")}</th>
              <th scope="col" className={th}>{t("training.frontier.state")}</th>
              <th scope="col" className={`${th} text-right`}>{t("training.frontier.traffic")}</th>
              <th scope="col" className={th}><span className="sr-only">{t("training.frontier.actions")}</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((r) => (
              <tr key={r.version} className={r.version === best ? "bg-brand-50/60" : undefined} data-testid="candidate-row" data-version={r.version} data-traffic={r.traffic}>
                <th scope="row" className={`${td} text-left font-mono font-medium`}>
                  {r.version}
                  {r.version === best && <span className="ml-2 rounded bg-brand-100 px-1.5 py-0.5 font-sans text-xs text-brand-800" data-testid="candidate-best">{t("training.run.best")}</span>}
                </th>
                <td className={`${td} text-right tabular-nums`}>{pct(r.accuracy)}</td>
                <td className={`${td} text-right tabular-nums`}>{r.macro_f1.toFixed(3)}</td>
                <td className={`${td} text-right tabular-nums`}>{fmtInt(r.params, locale)}</td>
                <td className={`${td} text-right tabular-nums`}>{bytes(r.bytes)}</td>
                <td className={`${td} text-right tabular-nums`}>{ms(r.p95)}</td>
                <td className={td}>{r.status ? <VersionStatus status={r.status} reason={r.statusReason} /> : "—"}</td>
                <td className={`${td} text-right tabular-nums`} data-testid="candidate-traffic">{r.traffic} %</td>
                <td className={`${td} text-right`}>
                  <span className="flex justify-end gap-2">
                    <Link href={`/playground?tab=classify&model=${encodeURIComponent(`${modelId}@${r.version}`)}`} className="px-1 py-1 text-sm text-brand-700 hover:underline" data-testid="candidate-try">{t("training.frontier.try")}</Link>
                    {r.traffic === 100 ? (
                      <span className="px-2.5 py-1 text-sm font-medium text-emerald-700" data-testid="candidate-serving">{t("training.frontier.serving")}</span>
                    ) : (
                      <button type="button" className={btn} disabled={busy || (r.status !== null && r.status !== "ready" && r.status !== "measuring")} onClick={() => onDeploy(r.version)} data-testid="candidate-deploy">
                        {t("training.frontier.deploy")}
                      </button>
                    )}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="flex flex-wrap gap-2">
        <Link href={`/admin/models/${encodeURIComponent(modelId)}`} className={btn} data-testid="run-model-card">{t("training.run.modelCard")}</Link>
        <Link href={`/models/${encodeURIComponent(modelId)}`} className={btn}>{t("training.run.publicCard")}</Link>
        <Link href={`/playground?tab=classify&model=${encodeURIComponent(modelId)}`} className="rounded-md bg-brand-600 px-3 py-1 text-sm font-medium text-white hover:bg-brand-700" data-testid="run-try">{t("training.run.tryIt")}</Link>
      </div>
    </section>
  );
}
