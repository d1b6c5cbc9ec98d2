"use client";
import { useI18n } from "@/lib/i18n/client";

export interface ClassifyBody {
  id: string;
  object: "classification";
  model: string;
  data: { index: number; label: string; score: number; labels: { label: string; score: number }[] }[];
  usage: { compute_ms: number; units: number };
  selection?: { model: string; reason: string; reason_message?: unknown };
}

const pct = (s: number) => `${(s * 100).toFixed(1)} %`;

/** Each input line with its labels, best first, as score bars (the top label in the brand colour). */
export function ClassifyResult({ body, texts, lines }: { body: ClassifyBody; texts: string[]; lines: number[] }) {
  const { t } = useI18n();
  return (
    <ol className="space-y-3" data-testid="classify-results">
      {body.data.map((d) => {
        const labels = d.labels.length ? d.labels : [{ label: d.label, score: d.score }];
        return (
          <li key={d.index} className="rounded-md border border-slate-200 p-3" data-testid="classify-result" data-label={d.label} data-index={d.index}>
            <div className="flex items-baseline gap-3">
              <span className="shrink-0 text-xs tabular-nums text-slate-500">{t("classify.line", { n: lines[d.index] ?? d.index + 1 })}</span>
              <p className="min-w-0 flex-1 truncate text-sm text-slate-800" title={texts[d.index]}>{texts[d.index]}</p>
            </div>
            <ul className="mt-2 space-y-1" aria-label={t("classify.labelsFor", { n: lines[d.index] ?? d.index + 1 })}>
              {labels.map((l, i) => (
                <li key={l.label} className="grid grid-cols-[minmax(4rem,10rem)_1fr_4.5rem] items-center gap-2 text-sm" data-testid="classify-label" data-label={l.label}>
                  <span className={`truncate font-mono ${i === 0 ? "font-semibold text-slate-900" : "text-slate-600"}`} title={l.label}>{l.label}</span>
                  <span aria-hidden className="h-2.5 overflow-hidden rounded bg-slate-100">
                    <span className={`block h-full rounded ${i === 0 ? "bg-brand-600" : "bg-slate-400"}`} style={{ width: `${Math.max(0, Math.min(1, l.score)) * 100}%` }} />
                  </span>
                  <span className="text-right tabular-nums text-slate-700">{pct(l.score)}</span>
                </li>
              ))}
            </ul>
          </li>
        );
      })}
    </ol>
  );
}
