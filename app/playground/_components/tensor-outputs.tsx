"use client";
import { useI18n } from "@/lib/i18n/client";
import { argmax, isOneRow } from "./tensor-input";

export interface KserveOutput {
  name: string;
  datatype: string;
  shape: number[];
  data: number[];
}

/** Values shown per output before "… n more": enough to read a class vector, never a wall of numbers. */
const SHOWN = 64;

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6 ? v.toFixed(4) : v.toExponential(3));

/** Each output: name, datatype, shape, its first values, and the argmax of a one-row output. */
export function TensorOutputs({ outputs }: { outputs: readonly KserveOutput[] }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="tensor-outputs-title" className="space-y-3">
      <h3 id="tensor-outputs-title" className="text-sm font-semibold text-slate-800">{t("registry.tensor.outputs")}</h3>
      {outputs.map((o) => {
        const best = isOneRow(o.shape) ? argmax(o.data) : null;
        return (
          <div key={o.name} className="rounded-md border border-slate-200 p-3" data-testid="tensor-output" data-name={o.name}>
            <p className="font-mono text-sm font-medium">{t("registry.tensor.output", { name: o.name, datatype: o.datatype, shape: o.shape.join(", ") })}</p>
            {best && (
              <p className="mt-1 text-sm text-brand-700" data-testid="tensor-argmax">
                {t("registry.tensor.argmax", { i: best.index, v: fmt(best.value) })}
              </p>
            )}
            <p className="mt-1 break-all font-mono text-xs text-slate-700" data-testid="tensor-values-out">
              <span className="sr-only">{t("registry.tensor.values")}: </span>[{o.data.slice(0, SHOWN).map(fmt).join(", ")}
              {o.data.length > SHOWN && ` ${t("registry.tensor.more", { n: o.data.length - SHOWN })}`}]
            </p>
          </div>
        );
      })}
    </section>
  );
}
