/**
 * Text detection stage: PaddleOCR DetResizeForTest (limit_type "max") + NormalizeImage + the DB model + DB
 * post-processing, returning quads in original-image coordinates.
 */
import sharp from "sharp";
import { float32, type InferenceContext, type Tensor } from "@/lib/models/tensor";
import { boxesFromProbMap, type DbOptions } from "./db-postprocess";
import { BGR, meanStd, normalizeToPlanar, type Normalization } from "./resample";
import type { OcrGraph } from "./models";
import type { Quad, RgbImage } from "./types";

/** ImageNet statistics, listed in PaddleOCR's config order, i.e. applied to B, G, R planes. */
export const DET_NORM: Normalization = meanStd([0.485, 0.456, 0.406], [0.229, 0.224, 0.225], BGR);

/** Python's `round` (banker's rounding), so sizes match PaddleOCR's exactly on .5 ties. */
function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const diff = v - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * Scales so the longer side is at most `limitSide` (never enlarging), then rounds each side to a multiple of 32
 * (the DB backbone downsamples 32×), at least 32.
 */
export function detResizeDims(width: number, height: number, limitSide: number): { width: number; height: number } {
  const ratio = Math.max(width, height) > limitSide ? limitSide / Math.max(width, height) : 1;
  const round32 = (v: number) => Math.max(roundHalfEven(Math.trunc(v * ratio) / 32) * 32, 32);
  return { width: round32(width), height: round32(height) };
}

/**
 * Whole-image resize through libvips: ~4× faster than the JS resampler at this size and off the JS thread.
 * Linear kernel (with libvips' antialiasing when shrinking), like PaddleOCR's cv2.resize default.
 */
async function resizeRgb(image: RgbImage, width: number, height: number): Promise<RgbImage> {
  if (width === image.width && height === image.height) return image;
  const raw = { width: image.width, height: image.height, channels: 3 as const };
  const data = await sharp(image.data, { raw })
    .resize(width, height, { fit: "fill", kernel: "linear" })
    .raw()
    .toBuffer();
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width, height };
}

/** The single output tensor, whatever the exporter named it (`sigmoid_0.tmp_0` in PaddleOCR's det export). */
export function onlyOutput(outputs: Record<string, Tensor>, what: string): Tensor {
  const values = Object.values(outputs);
  if (values.length !== 1) throw new Error(`${what}: expected one output, got ${Object.keys(outputs).join(", ")}`);
  return values[0];
}

export async function detectText(
  image: RgbImage,
  opts: DbOptions & { limitSide: number },
  ctx: InferenceContext,
  det: OcrGraph,
  norm: Normalization = DET_NORM,
): Promise<Quad[]> {
  const { width: rw, height: rh } = detResizeDims(image.width, image.height, opts.limitSide);
  const input = new Float32Array(3 * rw * rh);
  normalizeToPlanar(await resizeRgb(image, rw, rh), norm, input);
  const out = onlyOutput(await ctx.run(det.key, { [det.input]: float32(input, [1, 3, rh, rw]) }), "det");
  const [, , mh, mw] = out.dims;
  if (mh !== rh || mw !== rw || !(out.data instanceof Float32Array)) {
    throw new Error(`det: unexpected output ${out.type}[${out.dims.join(",")}] for input ${rh}x${rw}`);
  }
  return boxesFromProbMap(out.data, mw, mh, image.width, image.height, opts);
}
