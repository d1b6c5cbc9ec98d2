"use client";
import { useI18n } from "@/lib/i18n/client";
import { deployability, type DeployabilityInput } from "@/lib/selection/deployability";

export type { DeployabilityInput } from "@/lib/selection/deployability";

export interface DeployabilityProps {
  /** The measured facts (null where not measured); the score is computed here with lib/selection/deployability. */
  input: DeployabilityInput;
  /** Without the per-part bars: just the score badge. */
  compact?: boolean;
  testId?: string;
}

function tone(score: number): string {
  return score >= 80 ? "bg-emerald-500" : score >= 60 ? "bg-amber-500" : "bg-red-500";
}

/**
 * Ease of deployment, 0–100, with its parts (file size, cold load, memory, operators, dynamic axes, license).
 * Usable from server pages (e.g. model cards): `<Deployability input={{ fileSizeBytes, coldLoadMs, … }} />`.
 */
export function Deployability({ input, compact = false, testId = "deployability" }: DeployabilityProps) {
  const { t } = useI18n();
  const d = deployability(input);
  const badge = (
    <span className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700" data-testid={`${testId}-score`}>
      {d.score === null ? t("selection.deploy.notMeasured") : t("selection.deploy.score", { score: d.score })}
    </span>
  );
  if (compact) return badge;
  return (
    <div className="space-y-2" data-testid={testId}>
      <div className="flex items-center justify-between gap-2">
        <h3 className="text-sm font-semibold">{t("selection.deploy.title")}</h3>
        {badge}
      </div>
      <ul className="space-y-1.5">
        {d.parts.map((p) => (
          <li key={p.name} className="grid grid-cols-[11rem_1fr_7rem] items-center gap-2 text-xs">
            <span className="text-slate-600">
              {t(`selection.deploy.${p.name}`)} <span className="text-slate-400">({t("selection.deploy.weight", { weight: p.weight })})</span>
            </span>
            <span className="h-2 overflow-hidden rounded bg-slate-100" aria-hidden>
              {p.score !== null && <span className={`block h-full ${tone(p.score * 100)}`} style={{ width: `${Math.round(p.score * 100)}%` }} />}
            </span>
            <span className="text-right font-mono text-slate-700">{p.value ?? t("selection.deploy.notMeasured")}</span>
          </li>
        ))}
      </ul>
      <p className="text-xs text-slate-500">{t("selection.deploy.explain")}</p>
    </div>
  );
}
