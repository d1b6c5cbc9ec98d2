"use client";
import { useEffect, useRef, useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { fmtInt, fmtNum } from "@/app/_components/dashboard/format";
import { clock, decodeEnvelope, MAX_WAVEFORM_BYTES, tickStep, type Envelope } from "./audio-envelope";
import type { VadJobResult } from "./job";

const BUCKETS = 1600;
const ROWS = 100;

/**
 * A VAD job's result: the recording's waveform overview (decoded in the browser from the job's input) with the
 * speech segments shaded — or the segments on a time axis alone when this browser cannot decode the format or the
 * file is very large — and the segments as a table.
 */
export function VadOverview({ jobId, bytes, result }: { jobId: string; bytes: number; result: VadJobResult }) {
  const { t, locale } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [env, setEnv] = useState<Envelope | null>(null);
  const [wave, setWave] = useState<"loading" | "ready" | "none">(bytes > MAX_WAVEFORM_BYTES ? "none" : "loading");
  const [rows, setRows] = useState(ROWS);

  useEffect(() => {
    if (bytes > MAX_WAVEFORM_BYTES) return;
    let live = true;
    void (async () => {
      try {
        const res = await fetch(`/api/v1/jobs/${encodeURIComponent(jobId)}/input`, { cache: "no-store" });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const e = await decodeEnvelope(await res.arrayBuffer(), BUCKETS);
        if (live) {
          setEnv(e);
          setWave("ready");
        }
      } catch {
        if (live) setWave("none");
      }
    })();
    return () => {
      live = false;
    };
  }, [jobId, bytes]);

  const duration = result.duration_s || env?.duration_s || 1;
  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext("2d");
    if (!c || !ctx) return;
    const w = (c.width = Math.max(1, c.clientWidth * devicePixelRatio));
    const h = (c.height = Math.max(1, c.clientHeight * devicePixelRatio));
    ctx.clearRect(0, 0, w, h);
    ctx.fillStyle = "rgba(47,111,222,0.22)";
    for (const s of result.segments) ctx.fillRect((s.start / duration) * w, 0, Math.max(1, ((s.end - s.start) / duration) * w), h);
    if (env) {
      // Buckets span the decoded length; the API's duration is the reference for the time axis.
      const span = env.duration_s / duration;
      ctx.strokeStyle = "#334155";
      ctx.lineWidth = 1;
      ctx.beginPath();
      for (let x = 0; x < w * span; x++) {
        const b = Math.min(env.min.length - 1, Math.floor((x / (w * span)) * env.min.length));
        ctx.moveTo(x + 0.5, h / 2 - env.max[b] * (h / 2));
        ctx.lineTo(x + 0.5, h / 2 - env.min[b] * (h / 2) + 1);
      }
      ctx.stroke();
    } else {
      ctx.strokeStyle = "#cbd5e1";
      ctx.beginPath();
      ctx.moveTo(0, h / 2);
      ctx.lineTo(w, h / 2);
      ctx.stroke();
    }
  }, [env, result, duration]);

  const step = tickStep(duration);
  const ticks = Array.from({ length: Math.floor(duration / step) + 1 }, (_, i) => i * step);
  const speech = result.segments.reduce((a, s) => a + (s.end - s.start), 0);
  return (
    <div className="space-y-4" data-testid="vad-overview" data-segments={result.segments.length} data-waveform={wave}>
      <div>
        <canvas ref={canvas} className="h-32 w-full rounded-t-lg bg-white ring-1 ring-slate-200" role="img" aria-label={t("jobs.vad.waveform", { n: result.segments.length })} data-testid="vad-waveform" />
        <div className="relative h-5 text-[10px] text-slate-500" aria-hidden>
          {ticks.map((s) => (
            <span key={s} className="absolute top-0 -translate-x-1/2 border-l border-slate-300 pl-0.5 first:translate-x-0" style={{ left: `${(s / duration) * 100}%` }}>
              {clock(s)}
            </span>
          ))}
        </div>
        <p className="text-xs text-slate-500">
          {wave === "loading" ? t("jobs.vad.decoding") : wave === "none" ? t("jobs.vad.noWaveform") : t("jobs.vad.waveformHint")}
        </p>
      </div>
      <p className="text-sm text-slate-700" data-testid="vad-summary">
        {t("jobs.vad.summary", { n: fmtInt(result.segments.length, locale), speech: clock(speech), total: clock(result.duration_s), pct: fmtNum(result.duration_s ? (speech / result.duration_s) * 100 : 0, locale, 1) })}
      </p>
      {result.segments.length === 0 ? (
        <p className="text-sm text-slate-500">{t("playground.noSegments")}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg bg-white ring-1 ring-slate-200">
          <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="vad-segments-table">
            <thead className="bg-slate-50">
              <tr>
                {[t("jobs.vad.n"), t("jobs.vad.start"), t("jobs.vad.end"), t("jobs.vad.length")].map((h) => (
                  <th key={h} scope="col" className="px-3 py-2 text-right text-xs font-semibold uppercase tracking-wide text-slate-600">{h}</th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 tabular-nums">
              {result.segments.slice(0, rows).map((s, i) => (
                <tr key={i} data-testid="vad-segment-row">
                  <td className="px-3 py-1.5 text-right text-slate-500">{i + 1}</td>
                  <td className="px-3 py-1.5 text-right">{clock(s.start, 2)}</td>
                  <td className="px-3 py-1.5 text-right">{clock(s.end, 2)}</td>
                  <td className="px-3 py-1.5 text-right">{t("jobs.vad.seconds", { s: fmtNum(s.end - s.start, locale, 2) })}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {rows < result.segments.length && (
            <div className="border-t border-slate-100 p-2 text-center">
              <button type="button" onClick={() => setRows(result.segments.length)} className="text-sm font-medium text-brand-700 hover:underline" data-testid="vad-all">
                {t("jobs.vad.showAll", { n: fmtInt(result.segments.length, locale) })}
              </button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
