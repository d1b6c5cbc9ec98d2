/** Accuracy scoring on the eval sets, via scripts/eval/metrics.ts (the same functions the unit tests use). */
import { frameMetrics, normalizeOcrText, ocrSetCer, poolFrameMetrics, stripWhitespace, type FrameMetrics } from "@/scripts/eval/metrics";
import type { OcrItem, VadItem } from "./data";
import type { Segment } from "./peers";

export interface CerScores {
  /** Full text (lines joined by "\n"), exact characters. */
  cer: number;
  cerNoSpaces: number;
  /** Both sides through normalizeOcrText (NFKC, whitespace runs → one space). */
  cerNorm: number;
  cerNormNoSpaces: number;
}

/** Corpus-level CER of `hyps[i]` (recognised lines) against `items[i]`; `filter` picks a subset. */
export function scoreOcr(
  items: readonly OcrItem[],
  hyps: readonly string[][],
  filter: (it: OcrItem) => boolean = () => true,
): CerScores & { n: number; edits: number; editsNoSpaces: number } {
  const pairs: [string, string][] = [];
  items.forEach((it, i) => {
    if (filter(it)) pairs.push([it.ref, hyps[i].join("\n")]);
  });
  const norm = pairs.map(([r, h]): [string, string] => [normalizeOcrText(r), normalizeOcrText(h)]);
  const cer = ocrSetCer(pairs);
  const cerNoSpaces = ocrSetCer(pairs, { noSpaces: true });
  const chars = pairs.reduce((s, [r]) => s + Array.from(r).length, 0);
  const charsNoSpaces = pairs.reduce((s, [r]) => s + Array.from(stripWhitespace(r)).length, 0);
  return {
    n: pairs.length,
    cer,
    cerNoSpaces,
    // Edit counts, so a report can say how many of the errors are whitespace.
    edits: Math.round(cer * chars),
    editsNoSpaces: Math.round(cerNoSpaces * charsNoSpaces),
    cerNorm: ocrSetCer(norm),
    cerNormNoSpaces: ocrSetCer(norm, { noSpaces: true }),
  };
}

/** Pooled frame-level metrics at 10 ms. */
export function scoreVad(items: readonly VadItem[], segs: readonly Segment[][], filter: (it: VadItem) => boolean = () => true): FrameMetrics & { n: number } {
  const per: FrameMetrics[] = [];
  items.forEach((it, i) => {
    if (filter(it)) per.push(frameMetrics(it.speech, segs[i], it.durationS, 0.01));
  });
  return { n: per.length, ...poolFrameMetrics(per) };
}

export function categories<T extends { category: string }>(items: readonly T[]): string[] {
  return [...new Set(items.map((i) => i.category))];
}
