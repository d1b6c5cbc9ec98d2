"use client";
import { useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { CopyButton } from "../../_components/copy-button";

export interface OcrBody {
  model: string;
  width: number;
  height: number;
  lines: { text: string; confidence: number; box: [number, number][] }[];
}

/** The image with every detected box drawn over it; hovering a box highlights its line and vice versa. */
export function OcrResult({ body, imageUrl, compact = false }: { body: OcrBody; imageUrl: string; compact?: boolean }) {
  const { t } = useI18n();
  const [hover, setHover] = useState<number | null>(null);
  const all = body.lines.map((l) => l.text).join("\n");
  return (
    <div className={compact ? "space-y-3" : "grid gap-4 lg:grid-cols-2"} data-testid="ocr-result">
      <div className="relative self-start overflow-hidden rounded-lg bg-slate-100 ring-1 ring-slate-200">
        {/* eslint-disable-next-line @next/next/no-img-element -- a local object URL */}
        <img src={imageUrl} alt="" className="block h-auto w-full" />
        <svg viewBox={`0 0 ${body.width} ${body.height}`} className="absolute inset-0 h-full w-full" data-testid="ocr-boxes" role="img" aria-label={t("playground.lines")}>
          {body.lines.map((l, i) => (
            <polygon
              key={i}
              points={l.box.map((p) => p.join(",")).join(" ")}
              data-testid="ocr-box"
              onMouseEnter={() => setHover(i)}
              onMouseLeave={() => setHover(null)}
              className="cursor-pointer"
              fill={hover === i ? "rgba(47,111,222,0.25)" : "rgba(16,185,129,0.08)"}
              stroke={hover === i ? "#2459c2" : "#10b981"}
              strokeWidth={Math.max(1.5, body.width / 400)}
            />
          ))}
        </svg>
      </div>
      <div>
        <div className="flex items-center justify-between">
          <h3 className="font-semibold">{t("playground.lines")}</h3>
          {body.lines.length > 0 && <CopyButton text={all} label={t("playground.copyAll")} testId="copy-all-text" />}
        </div>
        {body.lines.length === 0 ? (
          <p className="mt-2 text-sm text-slate-500">{t("playground.noLines")}</p>
        ) : (
          <ol className="mt-2 divide-y divide-slate-100 rounded-lg bg-white ring-1 ring-slate-200" data-testid="ocr-lines">
            {body.lines.map((l, i) => (
              <li
                key={i}
                tabIndex={0}
                onMouseEnter={() => setHover(i)}
                onMouseLeave={() => setHover(null)}
                onFocus={() => setHover(i)}
                onBlur={() => setHover(null)}
                className={`flex items-baseline justify-between gap-3 px-3 py-2 text-sm outline-none ${hover === i ? "bg-brand-50" : ""}`}
                data-testid="ocr-line"
              >
                <span className="break-all">{l.text}</span>
                <span className="shrink-0 text-xs text-slate-500" title={t("playground.confidence")}>{(l.confidence * 100).toFixed(1)}%</span>
              </li>
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}
