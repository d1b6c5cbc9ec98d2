/**
 * DB (Differentiable Binarization) post-processing without OpenCV: PaddleOCR's DBPostProcess with
 * box_type "quad" and score_mode "fast". Probability map → thresholded bitmap → 8-connected regions →
 * min-area rectangle → score filter → unclip → rectangle again → original-image coordinates.
 */
import { convexHull, minAreaRectOfHull, orderQuadClockwise, unclipRect, dist, type RotatedRect } from "./geometry";
import type { Quad } from "./types";

export interface DbOptions {
  thresh: number;
  boxThresh: number;
  unclipRatio: number;
  /** PaddleOCR `max_candidates`: a cap on regions scored per image. */
  maxCandidates?: number;
}

/** PaddleOCR `min_size`: shorter rectangle side (in map pixels) below which a region is noise. */
const MIN_SIZE = 3;

/**
 * Mean probability over the pixels whose centres lie inside the convex quad (PaddleOCR `box_score_fast` rasterises
 * the same polygon with cv2.fillPoly over the box's bounding rectangle).
 */
export function boxScoreFast(prob: Float32Array, w: number, h: number, quad: Quad): number {
  let minY = Infinity, maxY = -Infinity;
  for (const p of quad) {
    if (p[1] < minY) minY = p[1];
    if (p[1] > maxY) maxY = p[1];
  }
  const y0 = Math.max(0, Math.floor(minY));
  const y1 = Math.min(h - 1, Math.ceil(maxY));
  let sum = 0;
  let count = 0;
  for (let y = y0; y <= y1; y++) {
    // Intersect the scanline with each edge; the quad is convex, so the crossings bound one span.
    let xl = Infinity, xr = -Infinity;
    for (let i = 0; i < 4; i++) {
      const a = quad[i], b = quad[(i + 1) & 3];
      const ay = a[1], by = b[1];
      if ((y < ay && y < by) || (y > ay && y > by)) continue;
      if (ay === by) {
        xl = Math.min(xl, a[0], b[0]);
        xr = Math.max(xr, a[0], b[0]);
      } else {
        const x = a[0] + ((y - ay) * (b[0] - a[0])) / (by - ay);
        if (x < xl) xl = x;
        if (x > xr) xr = x;
      }
    }
    if (xl > xr) continue;
    // Half-pixel slack so boundary pixels count, as fillPoly's inclusive rasterisation does.
    const x0 = Math.max(0, Math.ceil(xl - 0.5));
    const x1 = Math.min(w - 1, Math.floor(xr + 0.5));
    const row = y * w;
    for (let x = x0; x <= x1; x++) sum += prob[row + x];
    if (x1 >= x0) count += x1 - x0 + 1;
  }
  return count === 0 ? 0 : sum / count;
}

/**
 * Scans 8-connected foreground regions and yields, for each, the convex hull of its pixel centres. Only the
 * leftmost and rightmost pixel of every row can be hull vertices, so regions are reduced to those while filling.
 */
function* regionHulls(bitmap: Uint8Array, w: number, h: number): Generator<Float64Array> {
  const stack = new Int32Array(w * h);
  const pixels = new Int32Array(w * h);
  const rowMin = new Int32Array(h);
  const rowMax = new Int32Array(h);
  for (let seed = 0; seed < w * h; seed++) {
    if (bitmap[seed] === 0) continue;
    // Flood fill: clear pixels as they are pushed so none is visited twice.
    let sp = 0;
    let np = 0;
    stack[sp++] = seed;
    bitmap[seed] = 0;
    let minX = w, maxX = -1, minY = h, maxY = -1;
    while (sp > 0) {
      const p = stack[--sp];
      pixels[np++] = p;
      const y = (p / w) | 0;
      const x = p - y * w;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      const yLo = y > 0 ? -1 : 0, yHi = y < h - 1 ? 1 : 0;
      const xLo = x > 0 ? -1 : 0, xHi = x < w - 1 ? 1 : 0;
      for (let dy = yLo; dy <= yHi; dy++) {
        const base = p + dy * w;
        for (let dx = xLo; dx <= xHi; dx++) {
          const q = base + dx;
          if (bitmap[q] !== 0) {
            bitmap[q] = 0;
            stack[sp++] = q;
          }
        }
      }
    }
    // A rectangle's shorter side never exceeds the bounding box's: skip regions that cannot reach MIN_SIZE.
    if (maxX - minX < MIN_SIZE || maxY - minY < MIN_SIZE) continue;
    for (let y = minY; y <= maxY; y++) {
      rowMin[y] = w;
      rowMax[y] = -1;
    }
    for (let i = 0; i < np; i++) {
      const p = pixels[i];
      const y = (p / w) | 0;
      const x = p - y * w;
      if (x < rowMin[y]) rowMin[y] = x;
      if (x > rowMax[y]) rowMax[y] = x;
    }
    // Row extremes top to bottom, left before right: already in (y, x) order for the hull sweep.
    const xy = new Float64Array((maxY - minY + 1) * 4);
    let k = 0;
    for (let y = minY; y <= maxY; y++) {
      if (rowMax[y] < 0) continue; // 8-connected regions cannot skip a row; guard anyway
      xy[k++] = rowMin[y];
      xy[k++] = y;
      if (rowMax[y] !== rowMin[y]) {
        xy[k++] = rowMax[y];
        xy[k++] = y;
      }
    }
    yield convexHull(xy.subarray(0, k), true);
  }
}

function shortSide(r: RotatedRect): number {
  return Math.min(r.width, r.height);
}

/**
 * Boxes from the det model's probability map (`mapW`×`mapH`, the resized input size), scaled to the
 * `srcW`×`srcH` image and clipped to it. Quads are integer corners, clockwise from top-left.
 */
export function boxesFromProbMap(
  prob: Float32Array,
  mapW: number,
  mapH: number,
  srcW: number,
  srcH: number,
  opts: DbOptions,
): Quad[] {
  const n = mapW * mapH;
  const bitmap = new Uint8Array(n);
  const t = opts.thresh;
  for (let i = 0; i < n; i++) bitmap[i] = prob[i] > t ? 1 : 0;

  const maxCandidates = opts.maxCandidates ?? 1000;
  const sx = srcW / mapW, sy = srcH / mapH;
  const boxes: Quad[] = [];
  let candidates = 0;
  for (const hull of regionHulls(bitmap, mapW, mapH)) {
    if (++candidates > maxCandidates) break;
    const rect = minAreaRectOfHull(hull);
    if (shortSide(rect) < MIN_SIZE) continue;
    if (boxScoreFast(prob, mapW, mapH, rect.points) < opts.boxThresh) continue;
    const grown = unclipRect(rect, opts.unclipRatio);
    if (shortSide(grown) < MIN_SIZE + 2) continue;
    // Same mapping and rounding as PaddleOCR, then its filter_tag_det_res clip to the last pixel.
    const pts = grown.points.map(([x, y]): [number, number] => [
      Math.min(Math.max(Math.round(x * sx), 0), srcW - 1),
      Math.min(Math.max(Math.round(y * sy), 0), srcH - 1),
    ]);
    const quad = orderQuadClockwise(pts);
    // filter_tag_det_res: drop boxes that collapsed to ≤ 3 px after scaling and clipping.
    if (Math.trunc(dist(quad[0], quad[1])) <= 3 || Math.trunc(dist(quad[0], quad[3])) <= 3) continue;
    boxes.push(quad);
  }
  return boxes;
}
