"use client";
import { useEffect, useRef, useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { decode, mono } from "./wav";

export interface VadBody {
  model: string;
  duration_s: number;
  segments: { start: number; end: number }[];
}

/** The waveform with speech shaded; clicking a segment (on the waveform or in the list) plays it. */
export function VadResult({ body, audio, compact = false }: { body: VadBody; audio: Blob; compact?: boolean }) {
  const { t } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [buffer, setBuffer] = useState<AudioBuffer | null>(null);
  const [playing, setPlaying] = useState<number | null>(null);

  useEffect(() => {
    let live = true;
    decode(audio).then((b) => live && setBuffer(b)).catch(() => undefined);
    return () => {
      live = false;
    };
  }, [audio]);

  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext("2d");
    if (!c || !ctx) return;
    const w = (c.width = c.clientWidth * devicePixelRatio);
    const h = (c.height = c.clientHeight * devicePixelRatio);
    ctx.clearRect(0, 0, w, h);
    const dur = body.duration_s || 1;
    ctx.fillStyle = "rgba(47,111,222,0.18)";
    for (const s of body.segments) ctx.fillRect((s.start / dur) * w, 0, ((s.end - s.start) / dur) * w, h);
    if (!buffer) return;
    const data = mono(buffer);
    const step = Math.max(1, Math.floor(data.length / w));
    ctx.strokeStyle = "#334155";
    ctx.beginPath();
    for (let x = 0; x < w; x++) {
      let lo = 0;
      let hi = 0;
      for (let i = x * step; i < Math.min(data.length, (x + 1) * step); i++) {
        if (data[i] < lo) lo = data[i];
        if (data[i] > hi) hi = data[i];
      }
      ctx.moveTo(x, h / 2 - hi * (h / 2));
      ctx.lineTo(x, h / 2 - lo * (h / 2));
    }
    ctx.stroke();
  }, [buffer, body]);

  function play(i: number) {
    if (!buffer) return;
    const s = body.segments[i];
    const ctx = new AudioContext();
    const src = ctx.createBufferSource();
    src.buffer = buffer;
    src.connect(ctx.destination);
    src.onended = () => {
      setPlaying(null);
      void ctx.close();
    };
    setPlaying(i);
    src.start(0, s.start, s.end - s.start);
  }

  function onCanvasClick(e: React.MouseEvent<HTMLCanvasElement>) {
    const r = e.currentTarget.getBoundingClientRect();
    const at = ((e.clientX - r.left) / r.width) * body.duration_s;
    const i = body.segments.findIndex((s) => at >= s.start && at <= s.end);
    if (i >= 0) play(i);
  }

  return (
    <div className="space-y-3" data-testid="vad-result">
      <canvas ref={canvas} onClick={onCanvasClick} className={`w-full cursor-pointer rounded-lg bg-white ring-1 ring-slate-200 ${compact ? "h-24" : "h-40"}`} data-testid="waveform" data-segments={body.segments.length} aria-label={t("playground.segments")} />
      <div>
        <h3 className="font-semibold">{t("playground.segments")}</h3>
        {body.segments.length === 0 ? (
          <p className="mt-2 text-sm text-slate-500">{t("playground.noSegments")}</p>
        ) : (
          <ol className="mt-2 flex flex-wrap gap-2" data-testid="vad-segments">
            {body.segments.map((s, i) => (
              <li key={i}>
                <button type="button" onClick={() => play(i)} disabled={!buffer} data-testid="vad-segment" className={`rounded-md px-2.5 py-1 text-sm ring-1 ${playing === i ? "bg-brand-600 text-white ring-brand-600" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50"}`}>
                  ▶ {t("playground.play", { start: s.start.toFixed(2), end: s.end.toFixed(2) })}
                </button>
              </li>
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}
