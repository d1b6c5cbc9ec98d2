"use client";
import { useState, type FormEvent } from "react";
import { useI18n } from "@/lib/i18n/client";
import { MAX_RANGE_MS, PRESETS, presetRange, toLocalInput, type Range } from "./range";

/** Preset buttons (24h / 7d / 30d / custom); "custom" opens two date-time fields and an Apply button. */
export function RangeFilter({ value, onChange, id }: { value: Range; onChange: (r: Range) => void; id: string }) {
  const { t } = useI18n();
  const [custom, setCustom] = useState(value.preset === "custom");
  const [from, setFrom] = useState(() => toLocalInput(value.from));
  const [to, setTo] = useState(() => toLocalInput(value.to ?? new Date().toISOString()));
  const [error, setError] = useState(false);

  function apply(e: FormEvent) {
    e.preventDefault();
    const f = new Date(from);
    const tt = new Date(to);
    if (Number.isNaN(f.getTime()) || Number.isNaN(tt.getTime()) || f >= tt || tt.getTime() - f.getTime() > MAX_RANGE_MS) {
      setError(true);
      return;
    }
    setError(false);
    onChange({ preset: "custom", from: f.toISOString(), to: tt.toISOString() });
  }

  return (
    <fieldset className="min-w-0">
      <legend className="text-sm font-medium text-slate-700">{t("usage.filters.range")}</legend>
      <div className="mt-1 flex flex-wrap gap-1" role="group">
        {PRESETS.map((p) => {
          const active = p === "custom" ? custom : !custom && value.preset === p;
          return (
            <button
              key={p}
              type="button"
              aria-pressed={active}
              data-testid={`${id}-range-${p}`}
              onClick={() => {
                if (p === "custom") {
                  setCustom(true);
                  return;
                }
                setCustom(false);
                setError(false);
                onChange(presetRange(p));
              }}
              className={`rounded-md border px-3 py-1.5 text-sm font-medium ${active ? "border-brand-600 bg-brand-600 text-white" : "border-slate-300 bg-white text-slate-700 hover:bg-slate-50"}`}
            >
              {t(`usage.range.${p}`)}
            </button>
          );
        })}
      </div>
      {custom && (
        <form onSubmit={apply} className="mt-2 flex flex-wrap items-end gap-2" noValidate>
          <label className="text-sm text-slate-700">
            {t("usage.filters.from")}
            <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} data-testid={`${id}-from`} aria-invalid={error} aria-describedby={`${id}-range-error`}
              className="mt-1 block rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm" />
          </label>
          <label className="text-sm text-slate-700">
            {t("usage.filters.to")}
            <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} data-testid={`${id}-to`} aria-invalid={error} aria-describedby={`${id}-range-error`}
              className="mt-1 block rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm" />
          </label>
          <button type="submit" data-testid={`${id}-range-apply`} className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700">
            {t("usage.filters.apply")}
          </button>
          <p id={`${id}-range-error`} role={error ? "alert" : undefined} className={error ? "w-full text-sm text-red-700" : "sr-only"}>
            {error ? t("usage.filters.badRange") : ""}
          </p>
        </form>
      )}
    </fieldset>
  );
}
