/**
 * Cutting detected quads out of the image as upright strips, as PaddleOCR's get_rotate_crop_image does with
 * cv2.getPerspectiveTransform + warpPerspective (here: our own homography and bilinear sampling with a
 * replicated border), plus the 90°/180° rotations the pipeline applies to crops.
 */
import type { Quad, RgbImage } from "./types";

/** Solves the 8×8 system for the homography mapping `from[i]` → `to[i]` (h8 fixed to 1). */
export function homography(from: Quad, to: Quad): Float64Array {
  const a = new Float64Array(8 * 9);
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i];
    const [u, v] = to[i];
    let r = 2 * i * 9;
    a.set([x, y, 1, 0, 0, 0, -u * x, -u * y, u], r);
    r += 9;
    a.set([0, 0, 0, x, y, 1, -v * x, -v * y, v], r);
  }
  // Gauss-Jordan with partial pivoting.
  for (let col = 0; col < 8; col++) {
    let piv = col;
    for (let r = col + 1; r < 8; r++) if (Math.abs(a[r * 9 + col]) > Math.abs(a[piv * 9 + col])) piv = r;
    if (Math.abs(a[piv * 9 + col]) < 1e-12) throw new Error("degenerate quad: homography is singular");
    if (piv !== col) {
      for (let k = 0; k < 9; k++) {
        const t = a[col * 9 + k];
        a[col * 9 + k] = a[piv * 9 + k];
        a[piv * 9 + k] = t;
      }
    }
    const d = a[col * 9 + col];
    for (let k = col; k < 9; k++) a[col * 9 + k] /= d;
    for (let r = 0; r < 8; r++) {
      if (r === col) continue;
      const f = a[r * 9 + col];
      if (f === 0) continue;
      for (let k = col; k < 9; k++) a[r * 9 + k] -= f * a[col * 9 + k];
    }
  }
  const h = new Float64Array(9);
  for (let i = 0; i < 8; i++) h[i] = a[i * 9 + 8];
  h[8] = 1;
  return h;
}

/** Crop size PaddleOCR uses: the longer of each pair of opposite edges, truncated. */
export function cropSize(q: Quad): { width: number; height: number } {
  const len = (a: number, b: number) => Math.hypot(q[a][0] - q[b][0], q[a][1] - q[b][1]);
  return {
    width: Math.trunc(Math.max(len(0, 1), len(2, 3))),
    height: Math.trunc(Math.max(len(0, 3), len(1, 2))),
  };
}

/**
 * Warps the quad (clockwise from top-left) to an upright `width`×`height` image. Corners map to (0,0), (w,0),
 * (w,h), (0,h) exactly as PaddleOCR's `pts_std`, so crops match theirs pixel for pixel up to interpolation.
 */
export function warpQuad(src: RgbImage, quad: Quad, width: number, height: number): RgbImage {
  const dst: Quad = [[0, 0], [width, 0], [width, height], [0, height]];
  const h = homography(dst, quad);
  const out = new Uint8Array(width * height * 3);
  const { data, width: sw, height: sh } = src;
  const maxX = sw - 1, maxY = sh - 1;
  let o = 0;
  for (let v = 0; v < height; v++) {
    // Numerators and denominator are affine in u: step them instead of recomputing.
    let nx = h[1] * v + h[2];
    let ny = h[4] * v + h[5];
    let dn = h[7] * v + 1;
    for (let u = 0; u < width; u++, nx += h[0], ny += h[3], dn += h[6]) {
      let x = nx / dn;
      let y = ny / dn;
      // BORDER_REPLICATE: clamp the sample point into the image.
      x = x < 0 ? 0 : x > maxX ? maxX : x;
      y = y < 0 ? 0 : y > maxY ? maxY : y;
      const x0 = x | 0, y0 = y | 0;
      const x1 = x0 < maxX ? x0 + 1 : x0;
      const y1 = y0 < maxY ? y0 + 1 : y0;
      const fx = x - x0, fy = y - y0;
      const w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
      const i00 = (y0 * sw + x0) * 3, i01 = (y0 * sw + x1) * 3, i10 = (y1 * sw + x0) * 3, i11 = (y1 * sw + x1) * 3;
      for (let c = 0; c < 3; c++) {
        // Uint8Array stores truncate; +0.5 rounds.
        out[o++] = data[i00 + c] * w00 + data[i01 + c] * w01 + data[i10 + c] * w10 + data[i11 + c] * w11 + 0.5;
      }
    }
  }
  return { data: out, width, height };
}

/** 90° counter-clockwise, as numpy's `rot90` which PaddleOCR applies to tall crops. */
export function rotate90ccw(img: RgbImage): RgbImage {
  const { data, width: w, height: h } = img;
  const out = new Uint8Array(data.length);
  // Output is h wide, w tall: out(x', y') = in(x = w-1-y', y = x').
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const si = (y * w + x) * 3;
      const di = ((w - 1 - x) * h + y) * 3;
      out[di] = data[si];
      out[di + 1] = data[si + 1];
      out[di + 2] = data[si + 2];
    }
  }
  return { data: out, width: h, height: w };
}

export function rotate180(img: RgbImage): RgbImage {
  const { data } = img;
  const n = data.length / 3;
  const out = new Uint8Array(data.length);
  for (let i = 0, j = (n - 1) * 3; i < n * 3; i += 3, j -= 3) {
    out[j] = data[i];
    out[j + 1] = data[i + 1];
    out[j + 2] = data[i + 2];
  }
  return { data: out, width: img.width, height: img.height };
}

/** PaddleOCR's crop step: perspective-correct strip, turned to horizontal when it is clearly vertical. */
export function cropTextLine(src: RgbImage, quad: Quad): RgbImage | null {
  const { width, height } = cropSize(quad);
  if (width < 1 || height < 1) return null;
  const crop = warpQuad(src, quad, width, height);
  return height / width >= 1.5 ? rotate90ccw(crop) : crop;
}
