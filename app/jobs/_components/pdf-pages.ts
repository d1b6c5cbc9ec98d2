"use client";
/**
 * Renders a PDF job's pages in the browser with pdf.js (pdfjs-dist, loaded only when a PDF job is shown). The worker
 * and its font and CMap data come from /jobs/pdfjs/…, served from the installed package (app/jobs/pdfjs).
 */
import type { PDFDocumentProxy } from "pdfjs-dist";

const BASE = "/jobs/pdfjs";

export async function openPdf(data: ArrayBuffer): Promise<PDFDocumentProxy> {
  const pdfjs = await import("pdfjs-dist");
  pdfjs.GlobalWorkerOptions.workerSrc = `${BASE}/build/pdf.worker.min.mjs`;
  // No eval (the CSP forbids it); fonts a PDF names but does not embed, and CJK CMaps, from our own origin.
  return pdfjs.getDocument({ data, isEvalSupported: false, standardFontDataUrl: `${BASE}/standard_fonts/`, cMapUrl: `${BASE}/cmaps/`, cMapPacked: true }).promise;
}

/** Page `n` (1-based) drawn `width` device pixels wide, as an object URL of a PNG (the caller revokes it). */
export async function renderPage(doc: PDFDocumentProxy, n: number, width: number): Promise<string> {
  const page = await doc.getPage(n);
  const base = page.getViewport({ scale: 1 });
  const viewport = page.getViewport({ scale: width / base.width });
  const canvas = document.createElement("canvas");
  canvas.width = Math.ceil(viewport.width);
  canvas.height = Math.ceil(viewport.height);
  await page.render({ canvas, viewport }).promise;
  page.cleanup();
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/png"));
  if (!blob) throw new Error("the page could not be drawn");
  return URL.createObjectURL(blob);
}
