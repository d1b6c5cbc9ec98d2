/** A job's result as the files the detail page offers: JSON, OCR as plain text, VAD as CSV. Pure, and a saver. */
import type { OcrJobResult, VadJobResult } from "./job";

/** Every page's lines, one per line, each page under a "--- page N ---" line (N as the result numbers it). */
export function ocrText(result: OcrJobResult): string {
  return result.pages.map((p) => [`--- page ${p.page} ---`, ...p.lines.map((l) => l.text)].join("\n")).join("\n\n") + "\n";
}

/** `start,end` in seconds, one segment a row, three decimals (the API's millisecond grain). */
export function vadCsv(result: VadJobResult): string {
  return ["start,end", ...result.segments.map((s) => `${s.start.toFixed(3)},${s.end.toFixed(3)}`)].join("\n") + "\n";
}

/** A name for a download: the job's file name without its extension (or the job id), plus a suffix. */
export function downloadName(job: { id: string; file: { name: string | null } }, ext: string): string {
  const base = (job.file.name ?? "").replace(/\.[^.]*$/, "").replace(/[^\p{L}\p{N}._-]+/gu, "_").slice(0, 80) || job.id;
  return `${base}.${ext}`;
}

/** Saves text as a file through a temporary link (the browser's own download, no server round trip). */
export function saveText(name: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
