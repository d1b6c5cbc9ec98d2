"use client";
import { useState, type FormEvent } from "react";
import { useI18n } from "@/lib/i18n/client";
import { ErrorState, Skeleton } from "@/app/_components/dashboard/states";
import { apiFetch, useJson } from "@/app/_components/dashboard/use-json";

const FIELDS = [
  { key: "requests_per_minute", label: "requestsPerMinute" },
  { key: "concurrent_requests", label: "concurrentRequests" },
  { key: "monthly_requests", label: "monthlyRequests" },
  { key: "monthly_compute_ms", label: "monthlyComputeMs" },
] as const;

type Field = (typeof FIELDS)[number]["key"];
type Plan = { id: string; name: string; default: boolean } & Record<Field, number>;

function PlanCard({ plan, onSaved }: { plan: Plan; onSaved: () => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<Record<Field, string>>(() => Object.fromEntries(FIELDS.map((f) => [f.key, String(plan[f.key])])) as Record<Field, string>);
  const [state, setState] = useState<{ kind: "idle" | "saving" | "saved" | "error"; text?: string }>({ kind: "idle" });
  const changed = FIELDS.filter((f) => draft[f.key] !== String(plan[f.key]));
  const invalid = FIELDS.filter((f) => !/^\d+$/.test(draft[f.key].trim()));

  async function save(e: FormEvent) {
    e.preventDefault();
    if (invalid.length) {
      setState({ kind: "error", text: t("admin.plans.invalid") });
      return;
    }
    setState({ kind: "saving" });
    const body = Object.fromEntries(changed.map((f) => [f.key, Number(draft[f.key])]));
    const r = await apiFetch<Plan>(`/api/v1/admin/plans/${plan.id}`, { method: "PATCH", json: body });
    if (r.ok) {
      setState({ kind: "saved", text: t("admin.plans.saved", { plan: plan.name }) });
      onSaved();
    } else setState({ kind: "error", text: t("admin.common.failed", { message: r.error.message }) });
  }

  const idp = `plan-${plan.id}`;
  return (
    <form onSubmit={save} noValidate className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="plan-card" data-plan={plan.name} aria-labelledby={`${idp}-name`}>
      <div className="flex flex-wrap items-center gap-2">
        <h2 id={`${idp}-name`} className="text-base font-semibold">{plan.name}</h2>
        {plan.default && <span className="rounded bg-brand-50 px-2 py-0.5 text-xs font-medium text-brand-700">{t("admin.plans.default")}</span>}
      </div>
      <div className="mt-3 grid items-end gap-3 sm:grid-cols-2">
        {FIELDS.map((f) => {
          const bad = invalid.includes(f);
          return (
            <label key={f.key} className="text-sm text-slate-700">
              {t(`admin.plans.${f.label}`)}
              <input
                inputMode="numeric"
                value={draft[f.key]}
                onChange={(e) => {
                  setDraft({ ...draft, [f.key]: e.target.value });
                  setState({ kind: "idle" });
                }}
                aria-invalid={bad}
                data-testid={`plan-${f.key}`}
                className={`mt-1 block w-full rounded-md border px-2 py-1.5 text-sm tabular-nums ${bad ? "border-red-500" : "border-slate-300"}`}
              />
            </label>
          );
        })}
      </div>
      <div className="mt-4 flex flex-wrap items-center gap-3">
        <button type="submit" disabled={!changed.length || state.kind === "saving"} data-testid="plan-save"
          className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-50">
          {state.kind === "saving" ? t("admin.plans.saving") : t("admin.plans.save", { plan: plan.name })}
        </button>
        <p role="status" aria-live="polite" data-testid="plan-status"
          className={`text-sm ${state.kind === "error" ? "text-red-700" : state.kind === "saved" ? "text-emerald-800" : "text-slate-600"}`}>
          {state.text ?? (changed.length ? "" : t("admin.plans.unchanged"))}
        </p>
      </div>
    </form>
  );
}

/** Every plan's limits, edited in place; a save PATCHes only the changed limits. */
export function PlansPanel() {
  const plans = useJson<{ data: Plan[] }>("/api/v1/admin/plans");
  if (plans.error) return <ErrorState message={plans.error.message} onRetry={plans.reload} />;
  if (!plans.data) return <Skeleton rows={1} />;
  return (
    <div className="grid gap-4 lg:grid-cols-3">
      {plans.data.data.map((p) => <PlanCard key={p.id} plan={p} onSaved={plans.reload} />)}
    </div>
  );
}
