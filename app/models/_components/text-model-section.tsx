"use client";
import Link from "next/link";
import type { TextSpecOutput } from "@/lib/api/schemas/models";
import { useI18n } from "@/lib/i18n/client";
import type { Translate } from "@/lib/i18n/config";
import { fmtInt } from "@/app/_components/dashboard/format";
import { pct } from "./format";

export interface TextVersionRow {
  version: string;
  traffic_percent: number;
  accuracy: number | null;
  macro_f1: number | null;
  text: TextSpecOutput | null;
}

/** Labels shown before "show all": a language identifier has ~70. */
const SHOWN = 24;

const kindLabel = (t: Translate, kind: string) => (kind === "linear" ? t("classify.card.kindLinear") : kind === "mlp" ? t("classify.card.kindMlp") : kind);

/** "2^18 buckets · char 1–4 · word 1–2": a version's featurizer in one line. */
function featurizerLine(t: Translate, f: TextSpecOutput["featurizer"]): string {
  const range = (r: [number, number] | null) => (r ? t("classify.card.ngramRange", { min: r[0], max: r[1] }) : t("classify.card.none"));
  return [`2^${Math.log2(f.buckets)}`, `${t("classify.card.charShort")} ${range(f.char)}`, `${t("classify.card.wordShort")} ${range(f.word)}`].join(" · ");
}

/**
 * The text-classifier part of a model card (public and admin): what kind of model it is, its labels (folded when
 * there are many), how text becomes features, each version's hold-out accuracy and macro-F1, and a link to the
 * playground's Classify tab with the model chosen.
 */
export function TextModelSection({ modelId, text, versions }: { modelId: string; text: TextSpecOutput; versions: TextVersionRow[] }) {
  const { t, locale } = useI18n();
  const f = text.featurizer;
  const range = (r: [number, number] | null) => (r ? t("classify.card.ngramRange", { min: r[0], max: r[1] }) : t("classify.card.none"));
  const chip = (l: string) => (
    <li key={l} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800" data-testid="text-label">{l}</li>
  );
  const th = "whitespace-nowrap px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500";
  const td = "whitespace-nowrap px-3 py-2 text-sm";
  return (
    <section aria-labelledby="text-model-title" className="space-y-5 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="text-model" data-labels={text.labels.length}>
      <div className="flex flex-wrap items-center gap-3">
        <h2 id="text-model-title" className="font-semibold">{t("classify.card.title")}</h2>
        <span className="text-sm text-slate-600" data-testid="text-kind">{kindLabel(t, text.kind)}</span>
        <Link href={`/playground?tab=classify&model=${encodeURIComponent(modelId)}`} className="ml-auto rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50" data-testid="text-try">
          {t("classify.card.tryIt")}
        </Link>
      </div>

      <div>
        <h3 className="text-sm font-semibold text-slate-800">{t("classify.card.labels", { n: fmtInt(text.labels.length, locale) })}</h3>
        <ul className="mt-2 flex flex-wrap gap-1.5">{text.labels.slice(0, SHOWN).map(chip)}</ul>
        {text.labels.length > SHOWN && (
          <details className="mt-2" data-testid="text-labels-more">
            <summary className="cursor-pointer text-sm text-brand-700">{t("classify.card.showLabels", { n: fmtInt(text.labels.length - SHOWN, locale) })}</summary>
            <ul className="mt-2 flex flex-wrap gap-1.5">{text.labels.slice(SHOWN).map(chip)}</ul>
          </details>
        )}
      </div>

      <div>
        <h3 className="text-sm font-semibold text-slate-800">{t("classify.card.features")}</h3>
        <p className="mt-1 text-sm text-slate-600">{t("classify.card.featuresLead")}</p>
        <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-6 gap-y-1 text-sm sm:grid-cols-[auto_1fr_auto_1fr]" data-testid="text-featurizer">
          <dt className="text-slate-500">{t("classify.card.buckets")}</dt>
          <dd className="tabular-nums">{fmtInt(f.buckets, locale)} (2^{Math.log2(f.buckets)})</dd>
          <dt className="text-slate-500">{t("classify.card.maxFeatures")}</dt>
          <dd className="tabular-nums">{fmtInt(f.max_features, locale)}</dd>
          <dt className="text-slate-500">{t("classify.card.charNgrams")}</dt>
          <dd>{range(f.char)}</dd>
          <dt className="text-slate-500">{t("classify.card.wordNgrams")}</dt>
          <dd>{range(f.word)}</dd>
        </dl>
      </div>

      {versions.length > 0 && (
        <div>
          <h3 className="text-sm font-semibold text-slate-800">{t("classify.card.versions")}</h3>
          <p className="mt-1 text-sm text-slate-600">{t("classify.card.versionsLead")}</p>
          <div className="mt-2 overflow-x-auto">
            <table className="min-w-full divide-y divide-slate-200" data-testid="text-versions">
              <thead>
                <tr>
                  <th scope="col" className={th}>{t("classify.card.version")}</th>
                  <th scope="col" className={th}>{t("classify.card.kind")}</th>
                  <th scope="col" className={th}>{t("classify.card.features")}</th>
                  <th scope="col" className={`${th} text-right`}>{t("classify.card.accuracy")}</th>
                  <th scope="col" className={`${th} text-right`}>{t("classify.card.macroF1")}</th>
                  <th scope="col" className={`${th} text-right`}>{t("classify.card.traffic")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {versions.map((v) => (
                  <tr key={v.version} data-testid="text-version" data-version={v.version}>
                    <th scope="row" className={`${td} text-left font-mono font-medium`}>{v.version}</th>
                    <td className={`${td} font-mono text-xs`} title={v.text ? kindLabel(t, v.text.kind) : undefined}>{v.text?.kind ?? "—"}</td>
                    <td className={`${td} text-xs text-slate-600`}>{v.text ? featurizerLine(t, v.text.featurizer) : "—"}</td>
                    <td className={`${td} text-right tabular-nums`} data-testid="text-version-accuracy">{v.accuracy === null ? <span className="text-slate-500">{t("classify.card.notMeasured")}</span> : pct(v.accuracy)}</td>
                    <td className={`${td} text-right tabular-nums`}>{v.macro_f1 === null ? "—" : v.macro_f1.toFixed(3)}</td>
                    <td className={`${td} text-right tabular-nums`}>{v.traffic_percent} %</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}
