"use client";
import { useI18n } from "@/lib/i18n/client";
import type { FileSignature } from "@/lib/api/schemas/models";

/**
 * What was read from each ONNX file of a version: opset, IR version, producer, the operators it uses, and its
 * inputs and outputs with datatype and shape (a dynamic axis as -1 or its name). Admin and public cards share it.
 */
export function ModelSignature({ signature, testId = "signature" }: { signature: readonly FileSignature[]; testId?: string }) {
  const { t } = useI18n();
  const th = "px-2 py-1 text-left text-xs font-semibold uppercase tracking-wide text-slate-500";
  const td = "px-2 py-1 text-sm";
  return (
    <div className="space-y-4" data-testid={testId}>
      {signature.map((s) => (
        <div key={s.role} className="rounded-md border border-slate-200 p-3" data-testid="signature-file" data-role={s.role}>
          <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
            <span className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs uppercase text-slate-700">{s.role}</span>
            {s.opset != null && <span data-testid="signature-opset">{t("registry.card.opset", { opset: s.opset })}</span>}
            {s.ir_version != null && <span>{t("registry.card.irVersion", { ir: s.ir_version })}</span>}
            {s.producer && (
              <span className="text-slate-600">
                {t("registry.card.producer")}: {s.producer}
              </span>
            )}
          </p>
          <table className="mt-2 min-w-full divide-y divide-slate-200">
            <thead>
              <tr>
                <th scope="col" className={th}>{t("registry.card.tensor")}</th>
                <th scope="col" className={th}>{t("registry.card.datatype")}</th>
                <th scope="col" className={th}>{t("registry.card.shape")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {[...s.inputs.map((x) => ({ ...x, dir: "in" })), ...s.outputs.map((x) => ({ ...x, dir: "out" }))].map((x) => (
                <tr key={`${x.dir}-${x.name}`} data-testid={`signature-${x.dir}`}>
                  <td className={`${td} font-mono text-xs`}>
                    <span className="sr-only">{x.dir === "in" ? t("registry.card.inputs") : t("registry.card.outputs")}: </span>
                    <span aria-hidden>{x.dir === "in" ? "→ " : "← "}</span>
                    {x.name}
                  </td>
                  <td className={td}>{x.datatype}</td>
                  <td className={`${td} font-mono text-xs`}>[{x.shape.join(", ")}]</td>
                </tr>
              ))}
            </tbody>
          </table>
          {s.ops.length > 0 && (
            <details className="mt-2 text-sm">
              <summary className="cursor-pointer text-slate-700">{t("registry.card.operators", { n: s.ops.length })}</summary>
              <p className="mt-1 font-mono text-xs text-slate-700" data-testid="signature-ops">{s.ops.join(", ")}</p>
            </details>
          )}
        </div>
      ))}
      <p className="text-xs text-slate-500">{t("registry.card.dynamicNote")}</p>
    </div>
  );
}
