/**
 * Optional 0°/180° classifier (PP-OCR mobile v2.0 cls): flips upside-down crops before recognition.
 * Inputs are a fixed 3×48×192, so any batch composition gives the same per-crop answer.
 */
import { float32, type InferenceContext } from "@/lib/models/tensor";
import { onlyOutput } from "./detect";
import type { OcrGraph } from "./models";
import { HALF_NORM, resizeToPlanar } from "./resample";
import type { RgbImage } from "./types";

const CLS_H = 48;
const CLS_W = 192;
/** PaddleOCR `cls_thresh`: only flip when the classifier is sure. */
export const CLS_THRESH = 0.9;
/** Bounds one call's input (~14 MB at 64 crops); results do not depend on it. */
const CLS_MAX_BATCH = 64;

export interface AngleResult {
  angle: 0 | 180;
  score: number;
}

export async function classifyAngles(crops: readonly RgbImage[], ctx: InferenceContext, cls: OcrGraph): Promise<AngleResult[]> {
  const results: AngleResult[] = [];
  const plane = CLS_H * CLS_W;
  for (let startIdx = 0; startIdx < crops.length; startIdx += CLS_MAX_BATCH) {
    const batch = crops.slice(startIdx, startIdx + CLS_MAX_BATCH);
    // Zeros are the normalised mid-grey PaddleOCR pads with.
    const input = new Float32Array(batch.length * 3 * plane);
    batch.forEach((crop, i) => {
      const w = Math.min(CLS_W, Math.ceil((CLS_H * crop.width) / crop.height));
      resizeToPlanar(crop, w, CLS_H, HALF_NORM, input, i * 3 * plane, CLS_W, plane, "cubic");
    });
    const out = onlyOutput(await ctx.run(cls.key, { [cls.input]: float32(input, [batch.length, 3, CLS_H, CLS_W]) }), "cls");
    if (!(out.data instanceof Float32Array) || out.data.length !== batch.length * 2) {
      throw new Error(`cls: unexpected output ${out.type}[${out.dims.join(",")}] for ${batch.length} crops`);
    }
    const probs = out.data;
    for (let i = 0; i < batch.length; i++) {
      const p0 = probs[2 * i], p180 = probs[2 * i + 1];
      results.push(p180 > p0 ? { angle: 180, score: p180 } : { angle: 0, score: p0 });
    }
  }
  return results;
}
