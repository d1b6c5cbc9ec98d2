import Link from "next/link";
import type { z } from "zod";
import type { modelDetailOutput, ModelOutput } from "@/lib/api/schemas/models";
import { getT } from "@/lib/i18n/server";
import { BenchmarkChart } from "./benchmark-chart";
import { describeConditions } from "./conditions";
import { bytes } from "./format";

type Detail = z.output<typeof modelDetailOutput>;

function fmtValue(v: number, unit: string | null): string {
  const n = Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(4);
  return unit ? `${n} ${unit}` : n;
}

export async function CardSections({ model, variants, samples }: { model: Detail; variants: ModelOutput[]; samples: { id: string; file: string; title: string }[] }) {
  const { t } = await getT();
  const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500";
  const td = "px-3 py-2 text-sm";
  const latency = model.benchmarks
    .filter((b) => /p(50|95|99)/.test(b.metric) && typeof (b.conditions as { concurrency?: number })?.concurrency === "number")
    .map((b) => ({ metric: b.metric, concurrency: (b.conditions as { concurrency: number }).concurrency, value: b.value }));
  return (
    <>
      <section aria-labelledby="io-title" className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
        <h2 id="io-title" className="font-semibold">{t("models.card.io")}</h2>
        <div className="mt-3 overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200" data-testid="io-table">
            <thead>
              <tr>
                <th className={th}>{t("models.card.weight")}</th>
                <th className={th}>{t("models.card.tensor")}</th>
                <th className={th}>{t("models.card.dtype")}</th>
                <th className={th}>{t("models.card.shape")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {model.inputs.flatMap((w) => w.inputs.map((i) => ({ w: w.weight, dir: "in", ...i })))
                .concat(model.outputs.flatMap((w) => w.outputs.map((o) => ({ w: w.weight, dir: "out", ...o }))))
                .map((r) => (
                  <tr key={`${r.w}-${r.dir}-${r.name}`}>
                    <td className={`${td} font-mono text-xs`}>{r.w}</td>
                    <td className={`${td} font-mono text-xs`}>{r.dir === "in" ? "→ " : "← "}{r.name}</td>
                    <td className={td}>{r.datatype}</td>
                    <td className={`${td} font-mono text-xs`}>[{r.shape.join(", ")}]</td>
                  </tr>
                ))}
            </tbody>
          </table>
          <p className="mt-2 text-xs text-slate-500">{t("models.card.dynamic")}</p>
        </div>
      </section>

      <section aria-labelledby="variants-title" className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
        <h2 id="variants-title" className="font-semibold">{t("models.card.variants")}</h2>
        <div className="mt-3 overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200" data-testid="variants-table">
            <thead>
              <tr>
                <th className={th}>ID</th>
                <th className={th}>{t("models.variant")}</th>
                <th className={th}>{t("models.size")}</th>
                <th className={th}>{t("models.status")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {variants.map((v) => (
                <tr key={v.id} className={v.id === model.id ? "bg-brand-50" : undefined}>
                  <td className={`${td} font-mono text-xs`}>
                    {v.id === model.id ? <span>{v.id} ({t("models.card.thisOne")})</span> : <Link href={`/models/${v.id}`} className="text-brand-600 hover:underline">{v.id}</Link>}
                  </td>
                  <td className={td}>{v.version} · {v.variant}</td>
                  <td className={td}>{bytes(v.size_bytes)}</td>
                  <td className={td}>{t(`models.status${v.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="bench-title" className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
        <h2 id="bench-title" className="font-semibold">{t("models.card.benchmarks")}</h2>
        {model.benchmarks.length === 0 ? (
          <p className="mt-2 text-sm text-slate-500" data-testid="no-benchmarks">{t("models.card.noBenchmarks")}</p>
        ) : (
          <>
            {latency.length > 0 && <BenchmarkChart points={latency} />}
            <div className="mt-3 max-h-96 overflow-auto">
              <table className="min-w-full divide-y divide-slate-200" data-testid="benchmark-table">
                <thead>
                  <tr>
                    <th className={th}>{t("models.card.metric")}</th>
                    <th className={th}>{t("models.card.value")}</th>
                    <th className={th}>{t("models.card.conditions")}</th>
                    <th className={th}>{t("models.card.measuredAt")}</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {model.benchmarks.map((b, i) => (
                    <tr key={i}>
                      <td className={`${td} font-mono text-xs`}>{b.metric}</td>
                      <td className={td}>{fmtValue(b.value, b.unit)}</td>
                      <td className={`${td} text-xs text-slate-600`} title={JSON.stringify(b.conditions)} data-testid="benchmark-conditions">{describeConditions(t, b.conditions)}</td>
                      <td className={`${td} text-xs text-slate-500`}>{b.measured_at.slice(0, 16).replace("T", " ")} · {b.host_fingerprint}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>

      {samples.length > 0 && (
        <section aria-labelledby="examples-title" className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
          <h2 id="examples-title" className="font-semibold">{t("models.card.examples")}</h2>
          <ul className="mt-3 grid gap-4 sm:grid-cols-3">
            {samples.map((s) => (
              <li key={s.id} className="rounded-md border border-slate-200 p-2">
                {model.modality === "image" ? (
                  // eslint-disable-next-line @next/next/no-img-element -- static sample, no optimisation needed
                  <img src={`/samples/${s.file}`} alt={s.title} className="h-32 w-full rounded object-contain" />
                ) : (
                  <audio controls src={`/samples/${s.file}`} className="w-full" />
                )}
                <p className="mt-2 text-sm text-slate-700">{s.title}</p>
                <Link href={`/playground?model=${model.id}&sample=${s.id}`} className="text-sm text-brand-600 hover:underline">{t("models.card.tryIt")}</Link>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
