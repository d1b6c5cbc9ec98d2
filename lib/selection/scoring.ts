/**
 * Turns model outputs on an eval set into the task's accuracy figures. OCR: corpus CER with and without
 * whitespace over each image's lines joined by newlines (reading order counts); accuracy = 1 − CER (with spaces,
 * the stricter figure: a recogniser that runs English words together is wrong), floored at 0.
 * VAD: frame precision/recall/F1 at 10 ms pooled over all clips; accuracy = F1.
 */
import type { SpeechSegment } from "@/lib/models/vad/segments";
import type { OcrEvalItem, VadEvalItem } from "./eval-sets";
import { frameMetrics, ocrSetCer, poolFrameMetrics } from "./metrics";

export interface ScoredMetric {
  metric: string;
  value: number;
  unit: string;
}

export function scoreOcr(items: readonly OcrEvalItem[], hypLines: readonly string[][]): ScoredMetric[] {
  const pairs = items.map((it, i) => ({ ref: it.lines.join("\n"), hyp: (hypLines[i] ?? []).join("\n") }));
  const cer = ocrSetCer(pairs);
  const cerNoSpaces = ocrSetCer(pairs, { noSpaces: true });
  return [
    { metric: "accuracy", value: Math.max(0, 1 - cer), unit: "1-cer" },
    { metric: "cer", value: cer, unit: "ratio" },
    { metric: "cer_no_spaces", value: cerNoSpaces, unit: "ratio" },
  ];
}

export const VAD_FRAME_S = 0.01;

export function scoreVad(items: readonly VadEvalItem[], segments: readonly (readonly SpeechSegment[])[]): ScoredMetric[] {
  const pooled = poolFrameMetrics(items.map((it, i) => frameMetrics(it.speech, segments[i] ?? [], it.durationS, VAD_FRAME_S)));
  return [
    { metric: "accuracy", value: pooled.f1, unit: "f1" },
    { metric: "precision", value: pooled.precision, unit: "ratio" },
    { metric: "recall", value: pooled.recall, unit: "ratio" },
    { metric: "f1", value: pooled.f1, unit: "ratio" },
  ];
}
