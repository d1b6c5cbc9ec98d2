"use client";
import Link from "next/link";
import { useState } from "react";
import type { AdminModel, ModelAction } from "@/lib/api/schemas/admin-models";
import { useI18n } from "@/lib/i18n/client";
import { fmtBytes, fmtMs } from "@/app/_components/dashboard/format";
import { ErrorState, MobileLabel, Skeleton, stack, thCls } from "@/app/_components/dashboard/states";
import { apiFetch, useJson } from "@/app/_components/dashboard/use-json";

const STATE_CLS: Record<AdminModel["status"], string> = {
  READY: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  LOADING: "bg-amber-50 text-amber-900 ring-amber-200",
  FAILED: "bg-red-50 text-red-800 ring-red-200",
  UNLOADED: "bg-slate-100 text-slate-700 ring-slate-200",
};

/** Live model table: status, enabled switch, load/unload, queue depth, recent p95 and memory; polls every 5 s. */
export function ModelsPanel() {
  const { t, locale } = useI18n();
  const models = useJson<{ data: AdminModel[] }>("/api/v1/admin/models", 5_000);
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);

  async function act(m: AdminModel, action: ModelAction) {
    setBusy(m.id);
    setNotice(null);
    const r = await apiFetch<AdminModel>(`/api/v1/admin/models/${m.id}/${action}`, { method: "POST" });
    setBusy(null);
    setNotice(r.ok ? { ok: true, text: t("admin.models.done", { model: m.id, action: t(`admin.models.action${action}`) }) } : { ok: false, text: t("admin.common.failed", { message: r.error.message }) });
    models.reload();
  }

  if (models.error && !models.data) return <ErrorState message={models.error.message} onRetry={models.reload} />;
  if (!models.data) return <Skeleton rows={1} />;
  const btn = "rounded-md border border-slate-300 bg-white px-2.5 py-1 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50";
  return (
    <div className="space-y-4">
      <p role="status" aria-live="polite" className={notice ? `rounded px-3 py-2 text-sm ${notice.ok ? "bg-emerald-50 text-emerald-900" : "bg-red-50 text-red-800"}` : "sr-only"} data-testid="models-notice">
        {notice?.text ?? ""}
      </p>
      <div className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200 md:overflow-x-auto">
        <table className={stack.table}>
          <thead className={stack.thead}>
            <tr>
              <th scope="col" className={thCls}>{t("admin.models.model")}</th>
              <th scope="col" className={thCls}>{t("admin.models.status")}</th>
              <th scope="col" className={thCls}>{t("admin.models.enabled")}</th>
              <th scope="col" className={thCls}>{t("admin.models.queue")}</th>
              <th scope="col" className={`${thCls} text-right`}>{t("admin.models.p95")}</th>
              <th scope="col" className={`${thCls} text-right`}>{t("admin.models.memory")}</th>
              <th scope="col" className={thCls}>{t("admin.models.actions")}</th>
            </tr>
          </thead>
          <tbody className={stack.tbody}>
            {models.data.data.map((m) => {
              const working = busy === m.id || m.status === "LOADING";
              return (
                <tr key={m.id} className={stack.tr} data-testid="model-row" data-model={m.id} data-status={m.status} data-enabled={m.enabled}>
                  <th scope="row" className={`${stack.cell} ${stack.wide} text-left font-normal`}>
                    {/* An upload's servable is `<model>@<version>`: its card is the model's. */}
                    <Link href={`/admin/models/${encodeURIComponent(m.id.split("@")[0])}`} className="font-mono text-xs font-medium text-brand-700 hover:underline" data-testid="model-card-link">{m.id}</Link>
                    <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs uppercase text-slate-700">{m.task}</span>
                    {m.default && <span className="ml-1 rounded bg-brand-50 px-1.5 py-0.5 text-xs text-brand-700">{t("admin.models.default")}</span>}
                    <span className="block text-xs text-slate-600">{m.name}</span>
                  </th>
                  <td className={`${stack.cell} md:max-w-xs`}>
                    <MobileLabel>{t("admin.models.status")}</MobileLabel>
                    <span className={`inline-block rounded px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STATE_CLS[m.status]}`} data-testid="model-status">
                      {t(`admin.models.state${m.status}`)}
                    </span>
                    {m.status_reason && <span className="mt-1 block break-words text-xs text-red-800">{m.status_reason}</span>}
                  </td>
                  <td className={stack.cell}>
                    <MobileLabel>{t("admin.models.enabled")}</MobileLabel>
                    <button
                      type="button"
                      role="switch"
                      aria-checked={m.enabled}
                      aria-label={t("admin.models.enableFor", { model: m.id })}
                      disabled={busy === m.id}
                      onClick={() => void act(m, m.enabled ? "disable" : "enable")}
                      data-testid="model-enabled"
                      className={`relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors disabled:opacity-50 ${m.enabled ? "bg-brand-600" : "bg-slate-500"}`}
                    >
                      <span aria-hidden className={`inline-block h-5 w-5 rounded-full bg-white shadow transition-transform ${m.enabled ? "translate-x-5" : "translate-x-0.5"}`} />
                    </button>
                  </td>
                  <td className={`${stack.cell} tabular-nums md:whitespace-nowrap`} data-testid="model-queue">
                    <MobileLabel>{t("admin.models.queue")}</MobileLabel>
                    {t("admin.models.queueValue", { queued: m.queued, inFlight: m.in_flight })}
                  </td>
                  <td className={`${stack.cell} tabular-nums md:text-right`}>
                    <MobileLabel>{t("admin.models.p95")}</MobileLabel>
                    {fmtMs(m.p95_ms, t, locale)}
                  </td>
                  <td className={`${stack.cell} tabular-nums md:text-right`}>
                    <MobileLabel>{t("admin.models.memory")}</MobileLabel>
                    {fmtBytes(m.memory_bytes, locale)}
                  </td>
                  <td className={`${stack.cell} ${stack.wide} md:w-px`}>
                    {m.status === "FAILED" ? (
                      <button type="button" className={btn} disabled={working} onClick={() => void act(m, "reload")} data-testid="model-reload">{t("admin.models.reload")}</button>
                    ) : m.status === "READY" ? (
                      <button type="button" className={btn} disabled={working} onClick={() => void act(m, "unload")} data-testid="model-unload">{t("admin.models.unload")}</button>
                    ) : (
                      <button type="button" className={btn} disabled={working} onClick={() => void act(m, "load")} data-testid="model-load">{t("admin.models.load")}</button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
