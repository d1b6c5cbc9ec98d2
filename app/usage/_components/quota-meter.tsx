"use client";
import type { UsageReport } from "@/lib/api/schemas/usage";
import { useI18n } from "@/lib/i18n/client";
import { fmtDate, fmtInt, fmtMs } from "@/app/_components/dashboard/format";
import { Panel } from "@/app/_components/dashboard/states";

type Quota = UsageReport["quota"];

function Meter({
  label,
  used,
  reserved,
  leased,
  limit,
  format,
  testId,
}: {
  label: string;
  used: number;
  reserved: number;
  leased: number;
  limit: number;
  format: (n: number) => string;
  testId: string;
}) {
  const { t } = useI18n();
  const pct = (n: number) => (limit > 0 ? Math.min(100, (n / limit) * 100) : 0);
  const usedPct = pct(used);
  const reservedPct = Math.min(100 - usedPct, pct(reserved));
  const high = limit > 0 && used + reserved >= limit * 0.9;
  const text = limit > 0 ? t("usage.quota.ofLimit", { value: format(used), limit: format(limit) }) : t("usage.quota.unlimited");
  return (
    <div data-testid={testId}>
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 text-sm">
        <span className="font-medium text-slate-800">{label}</span>
        <span className="tabular-nums text-slate-700" data-testid={`${testId}-text`}>{text}</span>
      </div>
      <div
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={Math.max(limit, 1)}
        aria-valuenow={Math.min(used, Math.max(limit, 1))}
        aria-valuetext={text}
        className="mt-1.5 flex h-3 w-full overflow-hidden rounded-full bg-slate-100 ring-1 ring-inset ring-slate-200"
      >
        <div className={high ? "bg-amber-600" : "bg-brand-600"} style={{ width: `${usedPct}%` }} />
        <div className="bg-brand-100" style={{ width: `${reservedPct}%` }} />
      </div>
      {reserved > 0 && <p className="mt-1 text-xs text-slate-600">{t("usage.quota.reserved", { reserved: format(reserved) })}</p>}
      {leased > 0 && (
        <p className="mt-1 text-xs text-slate-600" data-testid={`${testId}-leased`}>
          {t("usage.quota.leased", { leased: format(leased) })}
        </p>
      )}
    </div>
  );
}

/**
 * This period's quota: requests and compute ms, used (+ reserved by requests in flight) against the plan's limit.
 * What the servers' quota leases set aside is said in words, not drawn: it is neither used nor lost.
 */
export function QuotaMeter({ quota }: { quota: Quota }) {
  const { t, locale } = useI18n();
  const near =
    (quota.requests.limit > 0 && quota.requests.used >= quota.requests.limit * 0.9) ||
    (quota.compute_ms.limit > 0 && quota.compute_ms.used >= quota.compute_ms.limit * 0.9);
  return (
    <Panel id="quota" title={t("usage.quota.title")} actions={<span className="rounded bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700">{t("usage.quota.plan", { plan: quota.plan })}</span>}>
      <div className="space-y-4">
        <Meter label={t("usage.quota.requests")} testId="quota-requests" used={quota.requests.used} reserved={quota.requests.reserved} leased={quota.requests.leased} limit={quota.requests.limit} format={(n) => fmtInt(n, locale)} />
        <Meter label={t("usage.quota.compute")} testId="quota-compute" used={quota.compute_ms.used} reserved={quota.compute_ms.reserved} leased={quota.compute_ms.leased} limit={quota.compute_ms.limit} format={(n) => fmtMs(n, t, locale)} />
        {near && <p role="status" className="rounded bg-amber-50 px-3 py-2 text-sm text-amber-900">{t("usage.quota.nearLimit")}</p>}
        <p className="text-sm text-slate-600" data-testid="quota-reset">{t("usage.quota.resets", { date: fmtDate(quota.resets_at, locale) })}</p>
      </div>
    </Panel>
  );
}
