/**
 * How much memory one pipeline request makes a worker hold at its peak, from the input's header (input-size.ts)
 * and the options that scale the work. Used to admit requests by decoded size (lib/runtime/admission.ts): a
 * 60 KB PNG can declare 40 MP, and the compressed size says nothing about the cost.
 *
 * The factors were measured (peak RSS over the idle process, ONNX Runtime's CPU arena off, 40 MP blank PNG; runs
 * that large still run without it; ordinary ones, which use it, peak lower: the detection session alone over inputs
 * up to 960 × 960 reached +165 MB with the arena, +262 MB without):
 * det_limit_side 960 → +251 MB, 4096 → +1704 MB. Solving for both: ~4.2 bytes per source pixel (the 3-byte RGB
 * buffer plus libvips' working copies) and ~138 bytes per pixel of the detection input (the float32 tensor, the
 * network's activations at 1/4 resolution, the probability map). Rounded up, plus a fixed share for the
 * recogniser's crops and the JS objects around them.
 */
import type { InputSize } from "./input-size";
import { detResizeDims } from "./ocr/detect";

export const BYTES_PER_SOURCE_PIXEL = 4.5;
export const BYTES_PER_DETECTION_PIXEL = 150;
/** Recognition batches, crops, results: small next to the above, but never zero. */
export const FIXED_BYTES = 16 * 1024 * 1024;

/** Peak bytes of an OCR run on an image of this size at this detection limit. */
export function ocrPeakBytes(size: { width: number; height: number; pixels: number }, detLimitSide: number): number {
  const det = detResizeDims(size.width, size.height, detLimitSide);
  return Math.ceil(size.pixels * BYTES_PER_SOURCE_PIXEL + det.width * det.height * BYTES_PER_DETECTION_PIXEL + FIXED_BYTES);
}

/** Peak bytes of a VAD run: the mono float32 samples, their 16 kHz copy, and the per-frame probabilities. */
export function vadPeakBytes(size: { seconds: number; decodedBytes: number }): number {
  return Math.ceil(size.decodedBytes + size.seconds * 16_000 * 4 + (size.seconds / 0.032) * 4 + FIXED_BYTES);
}

export function peakBytes(size: InputSize, detLimitSide: number): number {
  return size.kind === "image" ? ocrPeakBytes(size, detLimitSide) : vadPeakBytes(size);
}

/**
 * Peak bytes of one raw-tensor call (KServe): detection scales with its spatial input like the pipeline's
 * detection stage (N × H × W pixels); the other graphs are small next to their inputs (a few copies of them).
 */
export function tensorPeakBytes(weightKey: string, inputs: readonly { dims: readonly number[] }[]): number {
  let elements = 0;
  for (const t of inputs) elements += t.dims.reduce((n, d) => n * d, 1);
  if (weightKey === "ppocr-v4-det") {
    const x = inputs[0]?.dims ?? [];
    const pixels = (x[0] ?? 1) * (x[2] ?? 1) * (x[3] ?? 1);
    return Math.ceil(pixels * BYTES_PER_DETECTION_PIXEL + elements * 4 + FIXED_BYTES);
  }
  return Math.ceil(elements * 4 * 4 + FIXED_BYTES);
}
