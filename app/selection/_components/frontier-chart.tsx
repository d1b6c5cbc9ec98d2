"use client";
import { CartesianGrid, LabelList, Legend, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from "recharts";
import type { FrontierPointOutput } from "@/lib/api/schemas/selection";
import { useI18n } from "@/lib/i18n/client";
import { paretoFrontier } from "@/lib/selection/frontier";

export type Axis = "latency" | "memory";

interface Datum {
  x: number;
  y: number;
  model: string;
  name: string;
  /** A built-in's id; an uploaded version's `<name> · <version>`. */
  label: string;
  onFrontier: boolean;
  dominatedBy: string[];
  p: FrontierPointOutput;
}

function TooltipBody({ active, payload }: { active?: boolean; payload?: readonly { payload?: Datum }[] }) {
  const { t } = useI18n();
  const d = active ? payload?.[0]?.payload : undefined;
  if (!d) return null;
  const fmt = (v: number | null, unit: string, digits = 1) => (v === null ? "–" : `${v.toFixed(digits)} ${unit}`);
  return (
    <div className="rounded-md bg-white p-3 text-xs shadow-lg ring-1 ring-slate-200" data-testid="frontier-tooltip">
      <p className="font-semibold text-slate-900">{d.name}</p>
      <p className="font-mono text-slate-500">{d.model}</p>
      <dl className="mt-2 grid grid-cols-2 gap-x-3 gap-y-0.5">
        <dt className="text-slate-500">{t("selection.table.accuracy")}</dt>
        <dd className="text-right font-mono">{d.p.accuracy.toFixed(4)}</dd>
        <dt className="text-slate-500">{t("selection.table.p50")}</dt>
        <dd className="text-right font-mono">{fmt(d.p.p50_ms, "ms")}</dd>
        <dt className="text-slate-500">{t("selection.table.p95")}</dt>
        <dd className="text-right font-mono">{fmt(d.p.p95_ms, "ms")}</dd>
        <dt className="text-slate-500">{t("selection.table.p99")}</dt>
        <dd className="text-right font-mono">{fmt(d.p.p99_ms, "ms")}</dd>
        <dt className="text-slate-500">{t("selection.table.memory")}</dt>
        <dd className="text-right font-mono">{fmt(d.p.memory_mb, "MB", 0)}</dd>
      </dl>
      <p className={`mt-2 ${d.onFrontier ? "text-brand-700" : "text-slate-500"}`}>
        {d.onFrontier ? t("selection.chart.onFrontier") : t("selection.chart.dominatedBy", { models: d.dominatedBy.join(", ") })}
      </p>
    </div>
  );
}

/** Accuracy against p95 latency (or memory): frontier points connected and highlighted, dominated ones grey. */
export function FrontierChart({ task, points, axis, concurrency }: { task: "ocr" | "vad" | "text"; points: FrontierPointOutput[]; axis: Axis; concurrency: number }) {
  const { t } = useI18n();
  const usable = points.filter((p) => (axis === "latency" ? true : p.memory_mb !== null));
  const flags = paretoFrontier(usable.map((p) => ({ model: p.model, accuracy: p.accuracy, cost: axis === "latency" ? p.p95_ms : p.memory_mb! })));
  const data: Datum[] = flags.map((f) => {
    const p = usable.find((x) => x.model === f.model)!;
    return { x: f.cost, y: f.accuracy, model: f.model, name: p.name, label: p.label, onFrontier: f.onFrontier, dominatedBy: f.dominatedBy, p };
  });
  const frontier = data.filter((d) => d.onFrontier);
  const dominated = data.filter((d) => !d.onFrontier);
  const xLabel = axis === "latency" ? t("selection.chart.latencyAxis", { c: concurrency }) : t("selection.chart.memoryAxis");
  const yLabel = task === "ocr" ? t("selection.chart.accuracyOcr") : task === "text" ? t("selection.chart.accuracyText") : t("selection.chart.accuracyVad");
  if (!data.length) return <p className="rounded border border-dashed border-slate-300 p-6 text-sm text-slate-500">{t("selection.chart.noMemory")}</p>;
  return (
    <div className="h-80 w-full" role="img" aria-label={t("selection.chart.label", { axis: xLabel })} data-testid={`frontier-chart-${task}`} data-points={data.length}>
      <ResponsiveContainer>
        <ScatterChart margin={{ top: 16, right: 32, bottom: 28, left: 12 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis type="number" dataKey="x" name={xLabel} fontSize={12} domain={["auto", "auto"]} padding={{ left: 24, right: 48 }} label={{ value: xLabel, position: "insideBottom", offset: -16, fontSize: 12 }} />
          <YAxis type="number" dataKey="y" name={yLabel} fontSize={12} width={64} domain={["auto", "auto"]} padding={{ top: 20, bottom: 20 }} tickFormatter={(v: number) => v.toFixed(4)} label={{ value: yLabel, angle: -90, position: "insideLeft", offset: 4, fontSize: 12, style: { textAnchor: "middle" } }} />
          <Tooltip content={(props) => <TooltipBody active={props.active} payload={props.payload as readonly { payload?: Datum }[] | undefined} />} cursor={{ strokeDasharray: "3 3" }} />
          <Legend verticalAlign="top" height={28} />
          <Scatter name={t("selection.chart.frontier")} data={frontier} fill="#2f6fde" line={{ stroke: "#2f6fde", strokeWidth: 2 }} lineType="joint" isAnimationActive={false}>
            <LabelList dataKey="label" position="top" fontSize={11} fill="#1d4699" />
          </Scatter>
          <Scatter name={t("selection.chart.dominated")} data={dominated} fill="#94a3b8" isAnimationActive={false}>
            <LabelList dataKey="label" position="bottom" fontSize={11} fill="#64748b" />
          </Scatter>
        </ScatterChart>
      </ResponsiveContainer>
    </div>
  );
}
