/**
 * Recognition stage (PP-OCRv4 SVTR-LCNet rec, input 3×48×W): resize each crop to height 48 keeping its aspect
 * ratio, pad it on the right to a width bucket that depends only on the crop, run one call per bucket, CTC-decode.
 *
 * Why buckets: the rec model mixes information along the whole width (global attention in the neck), so the
 * padding a crop gets changes its logits. PaddleOCR pads every crop of a batch to the batch's widest, which makes
 * a line's text depend on its neighbours. Fixing the padded width per crop makes results independent of how crops
 * (or concurrent requests, merged by the runtime along axis 0) are batched.
 */
import { float32, type InferenceContext } from "@/lib/models/tensor";
import { ctcGreedyDecode, type Charset, type DecodedText } from "./ctc-decode";
import { onlyOutput } from "./detect";
import type { OcrGraph } from "./models";
import { HALF_NORM, resizeToPlanar, type ResizeKernel } from "./resample";
import type { RgbImage } from "./types";

export const REC_H = 48;
/** PaddleOCR's rec_image_shape width: narrower crops are padded up to it, as the model was trained. */
export const REC_MIN_W = 320;
/** Padding granularity: on CPU a batch costs the same as its crops run apart, so small buckets only save work. */
export const REC_BUCKET = 32;
/**
 * Widest input (aspect 80:1, ~150 Latin characters at this height). Longer crops are squeezed rather than
 * split; PaddleOCR has no cap at all, but unbounded widths make one request's cost unbounded.
 */
export const REC_MAX_W = 3840;
/** Bounds one call's input (12 MB at 16 crops of width 1280); results do not depend on it. */
const REC_MAX_BATCH = 16;

export interface RecPlan {
  /** Width the crop's content is resized to. */
  width: number;
  /** Padded input width, a pure function of `width`. */
  bucket: number;
}

export function recPlan(cropWidth: number, cropHeight: number): RecPlan {
  const width = Math.min(REC_MAX_W, Math.max(1, Math.ceil((REC_H * cropWidth) / cropHeight)));
  const bucket = Math.min(REC_MAX_W, Math.max(REC_MIN_W, Math.ceil(width / REC_BUCKET) * REC_BUCKET));
  return { width, bucket };
}

/**
 * How crops are resized to 48 px: linear, as PaddleOCR's `cv2.resize` default that the model was trained with.
 * A sharpening cubic kernel kept more spaces between words before the CTC decoder recovered them, but its
 * overshoot turns JPEG blocks and the soft edges of small or blurred print into strokes the model reads as
 * other characters (issue 12; `bench/ocr/frames.ts IMAGE --kernel=cubic` shows it frame by frame). Edits
 * without spaces, cubic → linear: 23 → 17 on the eval set's 27 heavily degraded images (JPEG alone 11 → 4),
 * 320 → 245 on 28,652 characters of held-out sign lines under 29 degradations. It is also half the work.
 */
export const REC_KERNEL: ResizeKernel = "linear";

/** Writes one crop into slot `index` of a [n, 3, 48, bucket] tensor (zeros = normalised mid-grey padding). */
export function writeRecInput(crop: RgbImage, plan: RecPlan, input: Float32Array, index: number, kernel: ResizeKernel = REC_KERNEL): void {
  const plane = REC_H * plan.bucket;
  resizeToPlanar(crop, plan.width, REC_H, HALF_NORM, input, index * 3 * plane, plan.bucket, plane, kernel);
}

/** Runs one batch of crops that share a bucket. Exposed for the batching-invariance test. */
export async function recognizeBatch(
  crops: readonly RgbImage[],
  plans: readonly RecPlan[],
  charset: Charset,
  ctx: InferenceContext,
  rec: OcrGraph,
): Promise<DecodedText[]> {
  const bucket = plans[0].bucket;
  if (plans.some((p) => p.bucket !== bucket)) throw new Error("recognizeBatch: crops must share a width bucket");
  const input = new Float32Array(crops.length * 3 * REC_H * bucket);
  crops.forEach((crop, i) => writeRecInput(crop, plans[i], input, i));
  const out = onlyOutput(await ctx.run(rec.key, { [rec.input]: float32(input, [crops.length, 3, REC_H, bucket]) }), "rec");
  const [n, steps, classes] = out.dims;
  if (n !== crops.length || classes !== charset.chars.length || !(out.data instanceof Float32Array)) {
    throw new Error(`rec: output [${out.dims.join(",")}] does not match ${crops.length} crops × ${charset.chars.length} classes`);
  }
  const probs = out.data;
  const texts: DecodedText[] = [];
  for (let i = 0; i < n; i++) texts.push(ctcGreedyDecode(probs, i * steps * classes, steps, classes, charset));
  return texts;
}

/** Recognises every crop; the result is index-aligned with `crops`. */
export async function recognize(
  crops: readonly RgbImage[],
  charset: Charset,
  ctx: InferenceContext,
  rec: OcrGraph,
): Promise<DecodedText[]> {
  const plans = crops.map((c) => recPlan(c.width, c.height));
  const groups = new Map<number, number[]>();
  plans.forEach((p, i) => {
    const g = groups.get(p.bucket);
    if (g) g.push(i);
    else groups.set(p.bucket, [i]);
  });
  const results = new Array<DecodedText>(crops.length);
  const jobs: Promise<void>[] = [];
  for (const indices of groups.values()) {
    for (let s = 0; s < indices.length; s += REC_MAX_BATCH) {
      const chunk = indices.slice(s, s + REC_MAX_BATCH);
      // Issued together: the runtime may run them in parallel or merge them with other requests' calls.
      jobs.push(
        recognizeBatch(chunk.map((i) => crops[i]), chunk.map((i) => plans[i]), charset, ctx, rec).then((texts) => {
          texts.forEach((t, k) => (results[chunk[k]] = t));
        }),
      );
    }
  }
  await Promise.all(jobs);
  return results;
}
