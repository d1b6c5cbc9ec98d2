"use client";
import { paretoFrontier } from "@/lib/selection/frontier";
import { useI18n } from "@/lib/i18n/client";
import { bytes, ms } from "@/app/models/_components/format";
import { linear, log, padded, type Scale } from "./scales";
import { useWidth } from "./use-width";

export type FrontierAxis = "size" | "latency";

export interface FrontierCandidate {
  version: string;
  accuracy: number;
  bytes: number;
  /** p95 at concurrency 1 on this host, once the version has been measured. */
  p95Ms: number | null;
  best: boolean;
  serving: boolean;
}

const H = 300;
const M = { top: 20, right: 24, bottom: 40, left: 60 };

/** Sizes span powers of two (hash buckets): a log axis when they spread, else a linear one. */
function costScale(values: number[], axis: FrontierAxis, W: number): Scale {
  const range: [number, number] = [M.left, W - M.right];
  if (axis === "size") {
    const lo = Math.min(...values) / 1.4;
    const hi = Math.max(...values) * 1.4;
    const s = log([lo, hi], range, 4);
    if (s.ticks.length >= 2) return s;
    const s2 = log([lo, hi], range, 2);
    if (s2.ticks.length >= 2) return s2;
  }
  return linear(padded(values, 0.12, [0, Infinity]), range, 5);
}

/**
 * Accuracy on the hold-out against size on disk (or p95 latency once measured): the candidates on the frontier —
 * none both more accurate and cheaper — joined by a line, the others grey; the best by the run's objective ringed,
 * the one serving traffic marked.
 */
export function FrontierPlot({ candidates, axis }: { candidates: readonly FrontierCandidate[]; axis: FrontierAxis }) {
  const { t } = useI18n();
  const [box, W] = useWidth(640);
  const usable = candidates.filter((c) => (axis === "size" ? c.bytes > 0 : c.p95Ms !== null));
  if (usable.length === 0)
    return (
      <div ref={box}>
        <p className="rounded border border-dashed border-slate-300 p-6 text-center text-sm text-slate-500">{t("training.frontier.noLatency")}</p>
      </div>
    );
  const cost = (c: FrontierCandidate) => (axis === "size" ? c.bytes : c.p95Ms!);
  const flags = paretoFrontier(usable.map((c) => ({ model: c.version, accuracy: c.accuracy, cost: cost(c), c })));
  const x = costScale(usable.map(cost), axis, W);
  // Headroom above 100 %, so points at the top keep their labels; ticks stop at 100 %.
  const y = linear(padded(usable.map((c) => c.accuracy), 0.25, [0, 1.04]), [H - M.bottom, M.top], 5);
  y.ticks = y.ticks.filter((v) => v <= 1);
  const line = flags.filter((f) => f.onFrontier);
  const fmtX = (v: number) => (axis === "size" ? bytes(v) : ms(v));
  const xLabel = axis === "size" ? t("training.frontier.sizeAxis") : t("training.frontier.latencyAxis");
  return (
    <div ref={box}>
    <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} className="block max-w-full" role="img" aria-label={t("training.frontier.label", { axis: xLabel })} data-testid="frontier-plot" data-axis={axis} data-points={flags.length} data-frontier={line.length}>
      {y.ticks.map((v) => (
        <g key={`y${v}`}>
          <line x1={M.left} x2={W - M.right} y1={y(v)} y2={y(v)} stroke="#e2e8f0" />
          <text x={M.left - 6} y={y(v)} dy="0.32em" textAnchor="end" fontSize={11} fill="#64748b">{`${+(v * 100).toFixed(2)} %`}</text>
        </g>
      ))}
      {x.ticks.map((v) => (
        <g key={`x${v}`}>
          <line x1={x(v)} x2={x(v)} y1={M.top} y2={H - M.bottom} stroke="#f1f5f9" />
          <text x={x(v)} y={H - M.bottom + 16} textAnchor="middle" fontSize={11} fill="#64748b">{fmtX(v)}</text>
        </g>
      ))}
      <line x1={M.left} x2={W - M.right} y1={H - M.bottom} y2={H - M.bottom} stroke="#94a3b8" />
      <text x={(M.left + W - M.right) / 2} y={H - 4} textAnchor="middle" fontSize={12} fill="#334155">{xLabel}</text>
      <text transform={`translate(14 ${(H - M.bottom + M.top) / 2}) rotate(-90)`} textAnchor="middle" fontSize={12} fill="#334155">{t("training.frontier.accuracyAxis")}</text>
      {line.length > 1 && <polyline points={line.map((f) => `${x(f.cost).toFixed(1)},${y(f.accuracy).toFixed(1)}`).join(" ")} fill="none" stroke="#2f6fde" strokeWidth={2} />}
      {flags.map((f, i) => {
        const cx = x(f.cost);
        const cy = y(f.accuracy);
        const right = cx < W - 140;
        // Alternately above and below (points sorted by cost): neighbours of equal accuracy keep their labels apart.
        const dy = i % 2 === 0 ? -9 : 17;
        return (
          <g key={f.model} data-testid="frontier-point" data-version={f.model} data-on-frontier={f.onFrontier}>
            <title>{`${f.model}: ${(f.accuracy * 100).toFixed(2)} % · ${fmtX(f.cost)}${f.onFrontier ? "" : ` — ${t("training.frontier.dominatedBy", { versions: f.dominatedBy.join(", ") })}`}`}</title>
            {f.c.best && <circle cx={cx} cy={cy} r={9} fill="none" stroke="#1d4699" strokeWidth={1.5} />}
            <circle cx={cx} cy={cy} r={5} fill={f.onFrontier ? "#2f6fde" : "#94a3b8"} stroke="white" strokeWidth={1} />
            <text x={cx + (right ? 12 : -12)} y={cy + dy} textAnchor={right ? "start" : "end"} fontSize={11} fill={f.onFrontier ? "#1d4699" : "#64748b"} className="font-mono">
              {f.model}
              {f.c.serving ? ` · ${t("training.frontier.serving")}` : ""}
            </text>
          </g>
        );
      })}
    </svg>
    </div>
  );
}
