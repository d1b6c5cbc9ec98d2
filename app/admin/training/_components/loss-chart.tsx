"use client";
import { useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { linear, padded } from "./scales";
import { useWidth } from "./use-width";
import type { CurvePoint } from "./training-run";

export const PALETTE = ["#2f6fde", "#e4572e", "#17a398", "#a855f7", "#f59e0b", "#64748b", "#db2777", "#65a30d"];
const H = 280;
const M = { top: 12, right: 16, bottom: 36, left: 52 };

/** Candidates in the order training met them, each with its points by epoch. */
function byCandidate(curve: readonly CurvePoint[]): [string, CurvePoint[]][] {
  const groups = new Map<string, CurvePoint[]>();
  for (const p of curve) groups.set(p.candidate, [...(groups.get(p.candidate) ?? []), p]);
  return [...groups].map(([c, ps]) => [c, [...ps].sort((a, b) => a.epoch - b.epoch)]);
}

const path = (pts: [number, number][]) => pts.map(([x, y], i) => `${i ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`).join("");

/**
 * Train (solid) and validation (dashed) loss per epoch, one colour per candidate, drawn as inline SVG so it can
 * redraw every poll without a charting library's animation. Hovering (or focusing) a candidate in the legend
 * brings its lines forward.
 */
/**
 * `best`: the trainer's name of the run's best candidate; `kept`: the names of the candidates the run registered
 * (once it has), drawn in full while the other configurations the search tried fade back.
 */
export function LossChart({ curve, best, kept }: { curve: readonly CurvePoint[]; best?: string | null; kept?: readonly string[] }) {
  const { t } = useI18n();
  const [focus, setFocus] = useState<string | null>(null);
  const [box, W] = useWidth(640);
  const groups = byCandidate(curve.filter((p) => Number.isFinite(p.train_loss) && Number.isFinite(p.valid_loss)));
  // The measured box is there from the first render, empty curve or not, so the observer keeps watching it.
  if (groups.length === 0)
    return (
      <div ref={box}>
        <p className="rounded border border-dashed border-slate-300 p-6 text-center text-sm text-slate-500" data-testid="loss-empty">{t("training.run.curveEmpty")}</p>
      </div>
    );
  const all = groups.flatMap(([, ps]) => ps);
  const x = linear(padded(all.map((p) => p.epoch), 0.02, [0, Infinity]), [M.left, W - M.right], 8);
  const y = linear([0, padded(all.flatMap((p) => [p.train_loss, p.valid_loss]), 0.05)[1]], [H - M.bottom, M.top], 5);
  const [x0, x1] = [M.left, W - M.right];
  return (
    <figure className="space-y-2" data-testid="loss-chart" data-candidates={groups.length} data-points={all.length}>
      <div ref={box}>
      <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} className="block max-w-full" role="img" aria-label={t("training.run.curveLabel", { n: groups.length, points: all.length })}>
        {y.ticks.map((v) => (
          <g key={`y${v}`}>
            <line x1={x0} x2={x1} y1={y(v)} y2={y(v)} stroke="#e2e8f0" />
            <text x={x0 - 6} y={y(v)} dy="0.32em" textAnchor="end" fontSize={11} fill="#64748b">{v}</text>
          </g>
        ))}
        {x.ticks.filter((v) => Number.isInteger(v)).map((v) => (
          <text key={`x${v}`} x={x(v)} y={H - M.bottom + 16} textAnchor="middle" fontSize={11} fill="#64748b">{v}</text>
        ))}
        <line x1={x0} x2={x1} y1={H - M.bottom} y2={H - M.bottom} stroke="#94a3b8" />
        <text x={(x0 + x1) / 2} y={H - 4} textAnchor="middle" fontSize={12} fill="#334155">{t("training.run.epoch")}</text>
        <text transform={`translate(14 ${(H - M.bottom + M.top) / 2}) rotate(-90)`} textAnchor="middle" fontSize={12} fill="#334155">{t("training.run.loss")}</text>
        {groups.map(([c, ps], i) => {
          const colour = PALETTE[i % PALETTE.length];
          const dim = focus !== null ? focus !== c : !!kept?.length && !kept.includes(c);
          const width = c === best || focus === c ? 2.5 : 1.5;
          const one = ps.length === 1;
          return (
            <g key={c} opacity={dim ? (focus !== null ? 0.12 : 0.3) : 1} data-testid="loss-series" data-candidate={c}>
              {one ? (
                <>
                  <circle cx={x(ps[0].epoch)} cy={y(ps[0].train_loss)} r={3} fill={colour} />
                  <circle cx={x(ps[0].epoch)} cy={y(ps[0].valid_loss)} r={3} fill="white" stroke={colour} strokeWidth={1.5} />
                </>
              ) : (
                <>
                  <path d={path(ps.map((p) => [x(p.epoch), y(p.train_loss)]))} fill="none" stroke={colour} strokeWidth={width} />
                  <path d={path(ps.map((p) => [x(p.epoch), y(p.valid_loss)]))} fill="none" stroke={colour} strokeWidth={width} strokeDasharray="5 4" />
                </>
              )}
            </g>
          );
        })}
      </svg>
      </div>
      <figcaption className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-slate-700">
        <span className="flex items-center gap-1.5">
          <svg width="22" height="6" aria-hidden><line x1="0" x2="22" y1="3" y2="3" stroke="#334155" strokeWidth="2" /></svg>
          {t("training.run.trainLoss")}
        </span>
        <span className="flex items-center gap-1.5">
          <svg width="22" height="6" aria-hidden><line x1="0" x2="22" y1="3" y2="3" stroke="#334155" strokeWidth="2" strokeDasharray="5 4" /></svg>
          {t("training.run.validLoss")}
        </span>
        <ul className="flex flex-wrap gap-1" aria-label={t("training.run.candidatesLegend")}>
          {groups.map(([c, ps], i) => (
            <li key={c}>
              <button
                type="button"
                onMouseEnter={() => setFocus(c)}
                onMouseLeave={() => setFocus(null)}
                onFocus={() => setFocus(c)}
                onBlur={() => setFocus(null)}
                className="flex items-center gap-1 rounded px-1.5 py-0.5 font-mono hover:bg-slate-100"
                title={t("training.run.lastLoss", { train: ps[ps.length - 1].train_loss.toFixed(4), valid: ps[ps.length - 1].valid_loss.toFixed(4) })}
              >
                <span aria-hidden className="inline-block h-2.5 w-2.5 rounded-full" style={{ background: PALETTE[i % PALETTE.length] }} />
                {c}
                {c === best && <span className="font-sans text-brand-700" title={t("training.run.best")}>★</span>}
              </button>
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
