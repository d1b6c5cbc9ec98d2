"use client";
import { useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import type { RegistryModel } from "./registry-model";

const SERVABLE = ["ready", "measuring"];

/**
 * The traffic split of an uploaded model: a slider and a number per version (shares must add up to 100; a version
 * that cannot serve stays at 0) and the sticky switch, saved as one PATCH. The parent remounts it (by key) when
 * the saved split changes, so it always starts from what the server holds.
 */
export function TrafficEditor({ model, busy, onSave }: { model: RegistryModel; busy: boolean; onSave: (body: object, done: string) => Promise<boolean> }) {
  const { t } = useI18n();
  const [shares, setShares] = useState<Record<string, number>>(() => Object.fromEntries(model.versions.map((v) => [v.version, v.traffic_percent])));
  const [sticky, setSticky] = useState(model.sticky);
  const sum = Object.values(shares).reduce((a, b) => a + b, 0);
  const changed = sticky !== model.sticky || model.versions.some((v) => shares[v.version] !== v.traffic_percent);
  const set = (version: string, raw: string) => {
    const n = Math.max(0, Math.min(100, Math.round(Number(raw) || 0)));
    setShares((s) => ({ ...s, [version]: n }));
  };
  return (
    <section aria-labelledby="traffic-title" className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="traffic-editor">
      <h3 id="traffic-title" className="text-lg font-semibold">{t("registry.card.trafficTitle")}</h3>
      <p className="mt-1 text-sm text-slate-600">{t("registry.card.trafficLead", { id: model.id })}</p>
      <form
        className="mt-4 space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (sum !== 100) return;
          void onSave({ traffic: shares, sticky }, t("registry.card.saved"));
        }}
      >
        {model.versions.map((v) => {
          const can = SERVABLE.includes(v.status);
          const id = `traffic-${v.version}`;
          return (
            <div key={v.version} className="grid grid-cols-[6rem_1fr_5rem] items-center gap-3" data-testid="traffic-row" data-version={v.version}>
              <label htmlFor={id} className="font-mono text-sm">{v.version}</label>
              <input type="range" min={0} max={100} step={1} value={shares[v.version] ?? 0} disabled={!can && !shares[v.version]} onChange={(e) => set(v.version, e.target.value)} aria-label={t("registry.card.trafficFor", { version: v.version })} className="w-full accent-brand-600" />
              <input id={id} type="number" min={0} max={100} step={1} value={shares[v.version] ?? 0} disabled={!can && !shares[v.version]} onChange={(e) => set(v.version, e.target.value)} aria-label={t("registry.card.trafficFor", { version: v.version })} className="w-full rounded-md border border-slate-300 px-2 py-1 text-right text-sm tabular-nums" data-testid="traffic-input" />
            </div>
          );
        })}
        <p className={`text-sm ${sum === 100 ? "text-slate-600" : "font-medium text-red-700"}`} role={sum === 100 ? undefined : "alert"} data-testid="traffic-sum">
          {sum === 100 ? t("registry.card.trafficSum", { n: sum }) : t("registry.card.trafficMustSum", { n: sum })}
        </p>
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" checked={sticky} onChange={(e) => setSticky(e.target.checked)} data-testid="traffic-sticky" />
          {t("registry.card.stickyToggle")}
        </label>
        <button type="submit" disabled={busy || !changed || sum !== 100} data-testid="traffic-save" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60">
          {t("registry.card.save")}
        </button>
      </form>
    </section>
  );
}
