/**
 * Separable resize of 8-bit RGB straight into a normalised planar (CHW) float tensor, so the model input is
 * written once with no intermediate image. Filters widen their support with the downscale factor (no aliasing
 * when shrinking large text), and match OpenCV's kernels when enlarging:
 * - "linear": triangle, = cv2 INTER_LINEAR upward. Used for the recogniser's text crops, as PaddleOCR resizes
 *   them (see REC_KERNEL in recognize.ts).
 * - "cubic": Keys a = -0.75, = cv2 INTER_CUBIC upward, clamped to [0, 255] like cv2's uint8 output. Used by the
 *   angle classifier. The recogniser used it until issue 12: its sharper gaps kept spaces between Latin words,
 *   but its overshoot cost characters on blurred, small and JPEG-compressed text.
 */
import type { RgbImage } from "./types";

/** `value = pixel * scale[c] + bias[c]`, written to planes in `order` (indices into R, G, B). */
export interface Normalization {
  scale: readonly [number, number, number];
  bias: readonly [number, number, number];
  /** Source channel feeding output planes 0, 1, 2. `[2, 1, 0]` = BGR, PaddleOCR's cv2 order. */
  order: readonly [number, number, number];
}

/** PaddleOCR reads images with cv2 (BGR) and normalises them in that order; its models expect B, G, R planes. */
export const BGR: readonly [number, number, number] = [2, 1, 0];

/** `(x/255 - mean) / std` per plane; mean/std are given in plane order, as PaddleOCR's configs list them. */
export function meanStd(mean: readonly number[], std: readonly number[], order = BGR): Normalization {
  return {
    scale: [1 / (255 * std[0]), 1 / (255 * std[1]), 1 / (255 * std[2])],
    bias: [-mean[0] / std[0], -mean[1] / std[1], -mean[2] / std[2]],
    order,
  };
}

/** Rec and cls models: `(x/255 - 0.5) / 0.5`. */
export const HALF_NORM: Normalization = meanStd([0.5, 0.5, 0.5], [0.5, 0.5, 0.5]);

interface Taps {
  /** First source index per output index. */
  start: Int32Array;
  /** Non-zero span per output index: the loops stop there instead of multiplying padding zeros. */
  count: Int32Array;
  /** `taps` weights per output index (zero-padded), summing to 1. */
  weights: Float32Array;
  taps: number;
}

export type ResizeKernel = "linear" | "cubic";

const CUBIC_A = -0.75;

function cubicWeight(t: number): number {
  const x = Math.abs(t);
  if (x < 1) return ((CUBIC_A + 2) * x - (CUBIC_A + 3)) * x * x + 1;
  if (x < 2) return ((CUBIC_A * x - 5 * CUBIC_A) * x + 8 * CUBIC_A) * x - 4 * CUBIC_A;
  return 0;
}

function computeTaps(srcLen: number, dstLen: number, kernel: ResizeKernel): Taps {
  const scale = srcLen / dstLen;
  const stretch = Math.max(1, scale);
  const support = (kernel === "cubic" ? 2 : 1) * stretch;
  const taps = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(dstLen);
  const count = new Int32Array(dstLen);
  const weights = new Float32Array(dstLen * taps);
  for (let i = 0; i < dstLen; i++) {
    const center = (i + 0.5) * scale - 0.5;
    const lo = Math.floor(center - support) + 1;
    const hi = Math.ceil(center + support) - 1;
    const clamp = (j: number) => (j < 0 ? 0 : j > srcLen - 1 ? srcLen - 1 : j);
    // Every clamped index lies in [s, s + taps): see the `taps` bound above.
    const s = Math.min(clamp(lo), Math.max(srcLen - taps, 0));
    start[i] = s;
    let total = 0;
    for (let j = lo; j <= hi; j++) {
      const t = (j - center) / stretch;
      const wgt = kernel === "cubic" ? cubicWeight(t) : Math.max(0, 1 - Math.abs(t));
      // Out-of-range taps fold onto the edge pixel: BORDER_REPLICATE, as cv2.resize does.
      weights[i * taps + (clamp(j) - s)] += wgt;
      total += wgt;
    }
    if (Math.abs(total) < 1e-6) {
      const j = clamp(Math.round(center));
      weights.fill(0, i * taps, (i + 1) * taps);
      weights[i * taps + (j - s)] = 1;
      total = 1;
    }
    let last = 0;
    for (let k = 0; k < taps; k++) {
      weights[i * taps + k] /= total;
      if (weights[i * taps + k] !== 0) last = k + 1;
    }
    count[i] = last;
  }
  return { start, count, weights, taps };
}

/**
 * Resizes `src` to `dw`×`dh` and writes normalised planes into `out` at `offset`, rows `rowStride` apart and planes
 * `planeStride` apart. A row stride wider than `dw` leaves the right side untouched: that is how rec pads.
 */
export function resizeToPlanar(
  src: RgbImage,
  dw: number,
  dh: number,
  norm: Normalization,
  out: Float32Array,
  offset = 0,
  rowStride = dw,
  planeStride = rowStride * dh,
  kernel: ResizeKernel = "linear",
): void {
  const { data, width: sw, height: sh } = src;
  const hx = computeTaps(sw, dw, kernel);
  const vy = computeTaps(sh, dh, kernel);
  // Horizontal pass over every source row into interleaved float rows.
  const tmp = new Float32Array(sh * dw * 3);
  const hs = hx.start, hc = hx.count, hw = hx.weights, ht = hx.taps;
  for (let y = 0; y < sh; y++) {
    const srcRow = y * sw * 3;
    const tmpRow = y * dw * 3;
    for (let x = 0; x < dw; x++) {
      let r = 0, g = 0, b = 0;
      let si = srcRow + hs[x] * 3;
      const wi = x * ht;
      const n = hc[x];
      for (let k = 0; k < n; k++, si += 3) {
        const wk = hw[wi + k];
        r += data[si] * wk;
        g += data[si + 1] * wk;
        b += data[si + 2] * wk;
      }
      const ti = tmpRow + x * 3;
      tmp[ti] = r;
      tmp[ti + 1] = g;
      tmp[ti + 2] = b;
    }
  }
  // Vertical pass, normalising and de-interleaving into planes.
  const [c0, c1, c2] = norm.order;
  const s0 = norm.scale[0], s1 = norm.scale[1], s2 = norm.scale[2];
  const b0 = norm.bias[0], b1 = norm.bias[1], b2 = norm.bias[2];
  const p0 = offset, p1 = offset + planeStride, p2 = offset + 2 * planeStride;
  const vs = vy.start, vc = vy.count, vw = vy.weights, vt = vy.taps;
  const acc = new Float32Array(dw * 3);
  for (let y = 0; y < dh; y++) {
    acc.fill(0);
    const n = vc[y];
    for (let k = 0; k < n; k++) {
      const wk = vw[y * vt + k];
      if (wk === 0) continue;
      const row = (vs[y] + k) * dw * 3;
      for (let i = 0; i < dw * 3; i++) acc[i] += tmp[row + i] * wk;
    }
    if (kernel === "cubic") {
      // Negative lobes overshoot at edges; cv2 saturates to uint8 and the models were trained on that.
      for (let i = 0; i < dw * 3; i++) {
        const v = acc[i];
        acc[i] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
    const o = y * rowStride;
    for (let x = 0; x < dw; x++) {
      const i = x * 3;
      out[p0 + o + x] = acc[i + c0] * s0 + b0;
      out[p1 + o + x] = acc[i + c1] * s1 + b1;
      out[p2 + o + x] = acc[i + c2] * s2 + b2;
    }
  }
}

/** Normalises an image already at the target size into planes (the detector resizes with libvips). */
export function normalizeToPlanar(src: RgbImage, norm: Normalization, out: Float32Array, offset = 0): void {
  const { data, width, height } = src;
  const n = width * height;
  const [c0, c1, c2] = norm.order;
  const s0 = norm.scale[0], s1 = norm.scale[1], s2 = norm.scale[2];
  const b0 = norm.bias[0], b1 = norm.bias[1], b2 = norm.bias[2];
  const p1 = offset + n, p2 = offset + 2 * n;
  for (let p = 0, i = 0; p < n; p++, i += 3) {
    out[offset + p] = data[i + c0] * s0 + b0;
    out[p1 + p] = data[i + c1] * s1 + b1;
    out[p2 + p] = data[i + c2] * s2 + b2;
  }
}
