"use client";
import { useEffect, useRef, useState } from "react";
import type { PDFDocumentProxy } from "pdfjs-dist";
import { useI18n } from "@/lib/i18n/client";
import { fmtInt } from "@/app/_components/dashboard/format";
import type { OcrJobResult, OcrPage } from "./job";
import { openPdf, renderPage } from "./pdf-pages";

/** Pages shown at once (a 200-page document is rendered a batch at a time, on demand). */
const BATCH = 10;
/** Thumbnail width in CSS pixels; drawn at the screen's density. */
const THUMB_CSS_PX = 420;

type Picture = { kind: "url"; url: string } | { kind: "none" } | { kind: "loading" };

/**
 * How a page's picture is had: a PDF is rendered page by page with pdf.js from the job's input; an image is the
 * input itself; a TIFF (which browsers cannot show) has none — its boxes are drawn on a blank page of its size.
 */
function usePictures(jobId: string, format: string, shown: number[]) {
  const [pics, setPics] = useState<Record<number, Picture>>({});
  const [failed, setFailed] = useState(false);
  const input = `/api/v1/jobs/${encodeURIComponent(jobId)}/input`;
  const key = shown.join(",");

  // The document is fetched and opened once; each page is drawn once, when it first comes into view.
  const doc = useRef<Promise<PDFDocumentProxy> | null>(null);
  const urls = useRef<Record<number, string>>({});
  useEffect(
    () => () => {
      Object.values(urls.current).forEach((u) => URL.revokeObjectURL(u));
      urls.current = {};
      void doc.current?.then((d) => d.destroy()).catch(() => undefined);
      doc.current = null;
    },
    [],
  );

  useEffect(() => {
    if (format !== "pdf") return;
    let live = true;
    void (async () => {
      try {
        doc.current ??= fetch(input, { cache: "no-store" }).then(async (res) => {
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          return openPdf(await res.arrayBuffer());
        });
        const d = await doc.current;
        const width = Math.round(THUMB_CSS_PX * Math.min(2, window.devicePixelRatio || 1));
        for (const n of shown) {
          if (!live) break;
          if (urls.current[n] || n > d.numPages) continue;
          const url = await renderPage(d, n, width);
          urls.current[n] = url;
          setPics((p) => ({ ...p, [n]: { kind: "url", url } }));
        }
      } catch {
        if (live) setFailed(true);
      }
    })();
    return () => {
      live = false;
    };
    // `shown` by value (its key): a new batch draws only the pages not drawn yet.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [input, format, key]);

  return (n: number): Picture => {
    if (format === "pdf") return failed ? { kind: "none" } : (pics[n] ?? { kind: "loading" });
    if (["png", "jpeg", "jpg", "webp"].includes(format)) return { kind: "url", url: input };
    return { kind: "none" };
  };
}

function PageCard({ page, picture }: { page: OcrPage; picture: Picture }) {
  const { t, locale } = useI18n();
  const [hover, setHover] = useState<number | null>(null);
  return (
    <li className="grid gap-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 lg:grid-cols-[minmax(0,26rem)_1fr]" data-testid="ocr-page" data-page={page.page} data-lines={page.lines.length}>
      <figure className="min-w-0">
        <div className="relative overflow-hidden rounded bg-white ring-1 ring-slate-300" style={{ aspectRatio: `${page.width} / ${page.height}` }}>
          {picture.kind === "url" ? (
            // eslint-disable-next-line @next/next/no-img-element -- a rendered page (object URL) or the job's own input
            <img src={picture.url} alt={t("jobs.ocr.pageAlt", { n: page.page })} className="absolute inset-0 h-full w-full" data-testid="ocr-thumb" />
          ) : picture.kind === "loading" ? (
            <div className="absolute inset-0 animate-pulse bg-slate-100" aria-hidden />
          ) : null}
          <svg viewBox={`0 0 ${page.width} ${page.height}`} preserveAspectRatio="none" className="absolute inset-0 h-full w-full" role="img" aria-label={t("jobs.ocr.boxes", { n: page.lines.length })} data-testid="ocr-page-boxes">
            {page.lines.map((l, i) => (
              <polygon
                key={i}
                points={l.box.map((p) => p.join(",")).join(" ")}
                onMouseEnter={() => setHover(i)}
                onMouseLeave={() => setHover(null)}
                fill={hover === i ? "rgba(47,111,222,0.25)" : "rgba(16,185,129,0.08)"}
                stroke={hover === i ? "#2459c2" : "#10b981"}
                strokeWidth={Math.max(1.5, page.width / 300)}
                data-testid="ocr-page-box"
              />
            ))}
          </svg>
        </div>
        <figcaption className="mt-1 text-xs text-slate-500">
          {t("jobs.ocr.pageCaption", { n: page.page, w: fmtInt(page.width, locale), h: fmtInt(page.height, locale), lines: fmtInt(page.lines.length, locale) })}
          {picture.kind === "none" && ` · ${t("jobs.ocr.noPicture")}`}
        </figcaption>
      </figure>
      <div className="min-w-0">
        <h4 className="font-semibold">{t("jobs.ocr.pageTitle", { n: page.page })}</h4>
        {page.lines.length === 0 ? (
          <p className="mt-2 text-sm text-slate-500">{t("playground.noLines")}</p>
        ) : (
          <ol className="mt-2 max-h-96 divide-y divide-slate-100 overflow-y-auto rounded ring-1 ring-slate-200" data-testid="ocr-page-lines">
            {page.lines.map((l, i) => (
              <li
                key={i}
                tabIndex={0}
                onMouseEnter={() => setHover(i)}
                onMouseLeave={() => setHover(null)}
                onFocus={() => setHover(i)}
                onBlur={() => setHover(null)}
                className={`flex items-baseline justify-between gap-3 px-3 py-1.5 text-sm outline-none ${hover === i ? "bg-brand-50" : ""}`}
                data-testid="ocr-page-line"
              >
                <span className="break-all">{l.text}</span>
                <span className="shrink-0 text-xs text-slate-500" title={t("playground.confidence")}>{(l.confidence * 100).toFixed(1)}%</span>
              </li>
            ))}
          </ol>
        )}
      </div>
    </li>
  );
}

/** An OCR job's pages: each a thumbnail with its boxes and its lines beside it, ten at a time. */
export function OcrPages({ jobId, format, result }: { jobId: string; format: string; result: OcrJobResult }) {
  const { t, locale } = useI18n();
  const [count, setCount] = useState(BATCH);
  const pages = result.pages.slice(0, count);
  const picture = usePictures(jobId, format, pages.map((p) => p.page));
  if (result.pages.length === 0) return <p className="text-sm text-slate-500">{t("jobs.ocr.noPages")}</p>;
  return (
    <div className="space-y-3">
      <ol className="space-y-4" data-testid="ocr-pages">
        {pages.map((p) => <PageCard key={p.page} page={p} picture={picture(p.page)} />)}
      </ol>
      {count < result.pages.length && (
        <button type="button" onClick={() => setCount((c) => c + BATCH)} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50" data-testid="ocr-more">
          {t("jobs.ocr.more", { shown: fmtInt(count, locale), total: fmtInt(result.pages.length, locale) })}
        </button>
      )}
    </div>
  );
}
