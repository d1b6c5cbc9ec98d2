"use client";
import { useI18n } from "@/lib/i18n/client";
import { RangeFilter } from "@/app/_components/dashboard/range-filter";
import { selectCls } from "@/app/_components/dashboard/states";
import type { Range } from "@/app/_components/dashboard/range";

export interface UsageFilterValue {
  range: Range;
  model: string;
  key: string;
}

/** Range, model and key filters; the export link downloads the same filtered range as CSV. */
export function UsageFilters({
  value,
  onChange,
  models,
  keys,
  exportHref,
  onRefresh,
  busy,
}: {
  value: UsageFilterValue;
  onChange: (v: UsageFilterValue) => void;
  models: string[];
  keys: { id: string; name: string; prefix: string }[];
  exportHref: string | null;
  onRefresh: () => void;
  busy: boolean;
}) {
  const { t } = useI18n();
  return (
    <div role="search" aria-label={t("usage.filters.label")} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="usage-filters">
      <div className="grid gap-4 md:grid-cols-[minmax(0,1fr)_12rem_16rem] md:items-start">
        <RangeFilter id="usage" value={value.range} onChange={(range) => onChange({ ...value, range })} />
        <label className="text-sm font-medium text-slate-700">
          {t("usage.filters.model")}
          <select value={value.model} onChange={(e) => onChange({ ...value, model: e.target.value })} data-testid="usage-model" className={selectCls}>
            <option value="">{t("usage.filters.allModels")}</option>
            {models.map((m) => <option key={m} value={m}>{m}</option>)}
          </select>
        </label>
        <label className="text-sm font-medium text-slate-700">
          {t("usage.filters.key")}
          <select value={value.key} onChange={(e) => onChange({ ...value, key: e.target.value })} data-testid="usage-key" className={selectCls}>
            <option value="">{t("usage.filters.allKeys")}</option>
            {keys.map((k) => <option key={k.id} value={k.id}>{`${k.prefix} · ${k.name}`}</option>)}
          </select>
        </label>
      </div>
      <div className="mt-4 flex flex-wrap items-center gap-3 border-t border-slate-100 pt-3">
        <button type="button" onClick={onRefresh} disabled={busy} data-testid="usage-refresh"
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60">
          {t("usage.filters.refresh")}
        </button>
        {exportHref && (
          <a href={exportHref} download data-testid="usage-export" aria-describedby="usage-export-hint"
            className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700">
            {t("usage.filters.exportCsv")}
          </a>
        )}
        <span id="usage-export-hint" className="text-xs text-slate-600">{t("usage.filters.exportHint")}</span>
      </div>
    </div>
  );
}
