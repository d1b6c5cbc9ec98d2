/**
 * PP-OCR end to end: decode → detect → crop → (angle classify) → recognise → order, with the files `models` names
 * (PP-OCRv4's or an uploaded model's). Pure TypeScript around `InferenceContext.run`, so the same code runs in
 * tests, benchmarks and the runtime's worker threads.
 */
import { InputError, type InferenceContext } from "@/lib/models/tensor";
import { classifyAngles, CLS_THRESH } from "./angle-classifier";
import { cropTextLine, rotate180 } from "./crop";
import { loadCharset } from "./ctc-decode";
import { decodeImage } from "./decode-image";
import { detectText } from "./detect";
import { DEFAULT_MAX_PIXELS, DEFAULT_MIN_SCORE, validateOcrOptions } from "./options";
import { mergeLineBoxes } from "./merge-lines";
import type { OcrModels } from "./models";
import { readingOrder } from "./reading-order";
import { recognize } from "./recognize";
import type { OcrLine, OcrOptions, OcrResult, Quad, RgbImage } from "./types";

const now = () => performance.now();
const ms = (v: number) => Math.round(v * 100) / 100;

export async function runOcr(image: Buffer, options: OcrOptions, ctx: InferenceContext, models: OcrModels): Promise<OcrResult> {
  const t0 = now();
  validateOcrOptions(options);
  const cls = models.cls;
  if (options.useAngleCls && !cls) {
    throw new InputError("invalid_option", "useAngleCls: this model has no angle classifier (choose a variant with one)", "useAngleCls");
  }
  // Started early so the first request's file read overlaps decoding.
  const charsetP = loadCharset(models.dict);
  charsetP.catch(() => undefined); // surfaced where awaited; avoid an unhandled rejection if decode throws first

  const img = await decodeImage(image, { maxPixels: options.maxPixels ?? DEFAULT_MAX_PIXELS });
  const t1 = now();

  const pieces = await detectText(
    img,
    { limitSide: options.detLimitSide, thresh: options.thresh, boxThresh: options.boxThresh, unclipRatio: options.unclipRatio },
    ctx,
    models.det,
  );
  const found = mergeLineBoxes(pieces);
  // PaddleOCR recognises in reading order; doing the same keeps index bookkeeping trivial.
  const order = readingOrder(found);
  const boxes: Quad[] = [];
  const crops: RgbImage[] = [];
  for (const i of order) {
    const crop = cropTextLine(img, found[i]);
    if (!crop) continue;
    boxes.push(found[i]);
    crops.push(crop);
  }
  const t2 = now();

  if (options.useAngleCls && cls && crops.length > 0) {
    const angles = await classifyAngles(crops, ctx, cls);
    angles.forEach((a, i) => {
      if (a.angle === 180 && a.score > CLS_THRESH) crops[i] = rotate180(crops[i]);
    });
  }
  const t3 = now();

  const charset = await charsetP;
  const texts = crops.length > 0 ? await recognize(crops, charset, ctx, models.rec) : [];
  const minScore = options.minScore ?? DEFAULT_MIN_SCORE;
  const lines: OcrLine[] = [];
  texts.forEach((t, i) => {
    // Margins around a crop can decode as a leading/trailing space; it carries no meaning.
    const text = t.text.trim();
    if (text === "" || t.confidence < minScore) return;
    lines.push({ text, confidence: t.confidence, box: boxes[i].map(([x, y]): [number, number] => [x, y]) });
  });
  const t4 = now();

  return {
    width: img.width,
    height: img.height,
    lines,
    timings: { decodeMs: ms(t1 - t0), detMs: ms(t2 - t1), clsMs: ms(t3 - t2), recMs: ms(t4 - t3), totalMs: ms(t4 - t0) },
  };
}
