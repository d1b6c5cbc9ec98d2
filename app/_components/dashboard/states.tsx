"use client";
import type { ReactNode } from "react";
import { useI18n } from "@/lib/i18n/client";

export function Panel({ title, id, actions, children, className = "" }: { title: string; id: string; actions?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section aria-labelledby={`${id}-title`} data-testid={id} className={`min-w-0 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:p-5 ${className}`}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id={`${id}-title`} className="text-base font-semibold text-slate-900">{title}</h2>
        {actions}
      </div>
      <div className="mt-3">{children}</div>
    </section>
  );
}

export function Skeleton({ rows = 3 }: { rows?: number }) {
  const { t } = useI18n();
  return (
    <div aria-busy="true" role="status" className="space-y-3" data-testid="loading">
      <span className="sr-only">{t("usage.state.loading")}</span>
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        {Array.from({ length: 4 }, (_, i) => <div key={i} className="h-20 animate-pulse rounded-lg bg-slate-200" />)}
      </div>
      {Array.from({ length: rows }, (_, i) => <div key={i} className="h-40 animate-pulse rounded-lg bg-slate-200" />)}
    </div>
  );
}

export function ErrorState({ message, onRetry }: { message: string; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4" data-testid="error-state">
      <p className="font-medium text-red-800">{t("usage.state.errorTitle")}</p>
      <p className="mt-1 break-words text-sm text-red-700">{message}</p>
      {onRetry && (
        <button type="button" onClick={onRetry} className="mt-3 rounded-md border border-red-300 bg-white px-3 py-1.5 text-sm font-medium text-red-800 hover:bg-red-100">
          {t("usage.state.retry")}
        </button>
      )}
    </div>
  );
}

export function EmptyState({ title, body, children, testId = "empty-state" }: { title: string; body?: string; children?: ReactNode; testId?: string }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center" data-testid={testId}>
      <p className="font-medium text-slate-800">{title}</p>
      {body && <p className="mx-auto mt-2 max-w-xl text-sm text-slate-600">{body}</p>}
      {children && <div className="mt-4 flex flex-wrap justify-center gap-3">{children}</div>}
    </div>
  );
}

export function StatCard({ label, value, hint, testId, tone = "default" }: { label: string; value: string; hint?: string; testId: string; tone?: "default" | "warn" }) {
  return (
    <div className="min-w-0 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <dt className="truncate text-sm text-slate-600">{label}</dt>
      <dd className={`mt-1 text-2xl font-semibold tabular-nums ${tone === "warn" ? "text-amber-700" : "text-slate-900"}`} data-testid={testId}>{value}</dd>
      {hint && <dd className="mt-1 break-words text-xs text-slate-600">{hint}</dd>}
    </div>
  );
}

/** A horizontal share bar for table rows (decorative: the number is in the row). */
export function ShareBar({ ratio }: { ratio: number }) {
  return (
    <div aria-hidden className="mt-1 h-1.5 w-full min-w-12 max-w-24 rounded bg-slate-100 md:ml-auto">
      <div className="h-1.5 rounded bg-brand-500" style={{ width: `${Math.max(0, Math.min(1, ratio)) * 100}%` }} />
    </div>
  );
}

export const tableCls = "min-w-full divide-y divide-slate-200 text-sm";
export const thCls = "whitespace-nowrap px-2 py-2 sm:px-3 text-left text-xs font-semibold uppercase tracking-wide text-slate-600";
export const tdCls = "whitespace-nowrap px-2 py-2 sm:px-3 text-slate-800";
export const selectCls = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";

/**
 * Tables that turn into stacked cards below md: each row becomes a two-column grid and each cell shows its
 * column's name (MobileLabel), so nothing hides behind a horizontal scroll on a phone.
 */
export const stack = {
  table: "block w-full text-sm md:table md:min-w-full md:divide-y md:divide-slate-200",
  thead: "hidden bg-slate-50 md:table-header-group",
  tbody: "block divide-y divide-slate-100 md:table-row-group",
  tr: "grid grid-cols-2 gap-x-3 gap-y-3 p-4 md:table-row md:p-0",
  cell: "min-w-0 text-slate-800 md:table-cell md:px-3 md:py-2 md:align-middle",
  wide: "col-span-2",
};

export function MobileLabel({ children }: { children: ReactNode }) {
  return <span className="mb-1 block text-xs font-semibold uppercase tracking-wide text-slate-600 md:hidden">{children}</span>;
}
