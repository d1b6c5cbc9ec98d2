/**
 * Plane geometry for DB post-processing, replacing the OpenCV/pyclipper calls PaddleOCR makes
 * (cv2.convexHull, cv2.minAreaRect, cv2.boxPoints, pyclipper offset). Coordinates are pixel centres.
 */
import type { Point, Quad } from "./types";

export interface RotatedRect {
  /** Corners, clockwise from top-left (see `orderQuadClockwise`). */
  points: Quad;
  /** Length of the top edge (the text direction for horizontal text). */
  width: number;
  /** Length of the left edge. */
  height: number;
}

function cross(ox: number, oy: number, ax: number, ay: number, bx: number, by: number): number {
  return (ax - ox) * (by - oy) - (ay - oy) * (bx - ox);
}

/**
 * Andrew's monotone chain over points given as flat `[x0, y0, x1, y1, …]`. Returns the hull as flat coordinates
 * (counter-clockwise in y-up terms, clockwise on screen), collinear points removed.
 * `presorted` skips the sort when the caller already emits points in lexicographic (y, x) order, which
 * DB post-processing does because it produces row extremes top to bottom.
 */
export function convexHull(xy: ArrayLike<number>, presorted = false): Float64Array {
  const n = xy.length >> 1;
  if (n === 0) return new Float64Array(0);
  let order: Int32Array;
  if (presorted) {
    order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
  } else {
    order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => xy[2 * a + 1] - xy[2 * b + 1] || xy[2 * a] - xy[2 * b]);
  }
  if (n < 3) {
    const out = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      out[2 * i] = xy[2 * order[i]];
      out[2 * i + 1] = xy[2 * order[i] + 1];
    }
    return out;
  }
  // Sweep in (y, x) order: works like the textbook x-sweep rotated by 90°.
  const hull = new Int32Array(2 * n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const p = order[i];
    while (k >= 2 && cross(xy[2 * hull[k - 2]], xy[2 * hull[k - 2] + 1], xy[2 * hull[k - 1]], xy[2 * hull[k - 1] + 1], xy[2 * p], xy[2 * p + 1]) <= 0) k--;
    hull[k++] = p;
  }
  for (let i = n - 2, lower = k + 1; i >= 0; i--) {
    const p = order[i];
    while (k >= lower && cross(xy[2 * hull[k - 2]], xy[2 * hull[k - 2] + 1], xy[2 * hull[k - 1]], xy[2 * hull[k - 1] + 1], xy[2 * p], xy[2 * p + 1]) <= 0) k--;
    hull[k++] = p;
  }
  k--; // the last point repeats the first
  const out = new Float64Array(k * 2);
  for (let i = 0; i < k; i++) {
    out[2 * i] = xy[2 * hull[i]];
    out[2 * i + 1] = xy[2 * hull[i] + 1];
  }
  return out;
}

/**
 * Orders the corners of a convex quadrilateral clockwise on screen (y down), starting at the corner whose outgoing
 * edge points right within (-45°, 45°]: that corner is "top-left" for any text rotated up to ±45°, and the choice
 * stays deterministic at exactly 45°, where sum/difference heuristics tie.
 */
export function orderQuadClockwise(pts: readonly Point[]): Quad {
  const cx = (pts[0][0] + pts[1][0] + pts[2][0] + pts[3][0]) / 4;
  const cy = (pts[0][1] + pts[1][1] + pts[2][1] + pts[3][1]) / 4;
  // Screen-clockwise = increasing atan2 with y pointing down.
  const sorted = [...pts].sort((a, b) => Math.atan2(a[1] - cy, a[0] - cx) - Math.atan2(b[1] - cy, b[0] - cx));
  let start = 0;
  let best = Infinity;
  for (let i = 0; i < 4; i++) {
    const a = sorted[i];
    const b = sorted[(i + 1) % 4];
    const angle = Math.atan2(b[1] - a[1], b[0] - a[0]);
    // Distance of the edge direction from "pointing right", preferring the +45° side on a tie.
    const score = Math.abs(angle - 1e-9);
    if (score < best) {
      best = score;
      start = i;
    }
  }
  const q: Point[] = [];
  for (let i = 0; i < 4; i++) {
    const p = sorted[(start + i) % 4];
    q.push([p[0], p[1]]);
  }
  return q as Quad;
}

function rectFromAxes(cx: number, cy: number, ux: number, uy: number, halfU: number, halfV: number): RotatedRect {
  // v is u rotated by +90° on screen (down when u points right).
  const vx = -uy;
  const vy = ux;
  const corners: Point[] = [
    [cx - ux * halfU - vx * halfV, cy - uy * halfU - vy * halfV],
    [cx + ux * halfU - vx * halfV, cy + uy * halfU - vy * halfV],
    [cx + ux * halfU + vx * halfV, cy + uy * halfU + vy * halfV],
    [cx - ux * halfU + vx * halfV, cy - uy * halfU + vy * halfV],
  ];
  const points = orderQuadClockwise(corners);
  return { points, width: dist(points[0], points[1]), height: dist(points[0], points[3]) };
}

export function dist(a: Point, b: Point): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

/**
 * Minimum-area enclosing rectangle of a convex hull (flat coordinates). Uses the rotating-calipers theorem: the
 * optimal rectangle has a side collinear with a hull edge, so each edge direction is tried. Hulls of text regions
 * have tens of vertices, so the O(h²) projection loop beats maintaining four caliper pointers.
 */
export function minAreaRectOfHull(hull: Float64Array): RotatedRect {
  const n = hull.length >> 1;
  if (n === 0) return rectFromAxes(0, 0, 1, 0, 0, 0);
  if (n === 1) return rectFromAxes(hull[0], hull[1], 1, 0, 0, 0);
  let bestArea = Infinity;
  let best = { cx: 0, cy: 0, ux: 1, uy: 0, hu: 0, hv: 0 };
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    let ux = hull[2 * j] - hull[2 * i];
    let uy = hull[2 * j + 1] - hull[2 * i + 1];
    const len = Math.hypot(ux, uy);
    if (len === 0) continue;
    ux /= len;
    uy /= len;
    let minU = Infinity, maxU = -Infinity, minV = Infinity, maxV = -Infinity;
    for (let k = 0; k < n; k++) {
      const x = hull[2 * k], y = hull[2 * k + 1];
      const u = x * ux + y * uy;
      const v = -x * uy + y * ux;
      if (u < minU) minU = u;
      if (u > maxU) maxU = u;
      if (v < minV) minV = v;
      if (v > maxV) maxV = v;
    }
    const area = (maxU - minU) * (maxV - minV);
    if (area < bestArea - 1e-9) {
      bestArea = area;
      const mu = (minU + maxU) / 2, mv = (minV + maxV) / 2;
      best = { cx: mu * ux - mv * uy, cy: mu * uy + mv * ux, ux, uy, hu: (maxU - minU) / 2, hv: (maxV - minV) / 2 };
    }
  }
  return rectFromAxes(best.cx, best.cy, best.ux, best.uy, best.hu, best.hv);
}

/** Min-area rectangle of arbitrary points `[x, y][]`. */
export function minAreaRect(points: readonly Point[]): RotatedRect {
  const flat = new Float64Array(points.length * 2);
  points.forEach((p, i) => {
    flat[2 * i] = p[0];
    flat[2 * i + 1] = p[1];
  });
  return minAreaRectOfHull(convexHull(flat));
}

/** Shoelace area of a simple polygon (absolute value). */
export function polygonArea(pts: readonly Point[]): number {
  let s = 0;
  for (let i = 0; i < pts.length; i++) {
    const a = pts[i], b = pts[(i + 1) % pts.length];
    s += a[0] * b[1] - b[0] * a[1];
  }
  return Math.abs(s) / 2;
}

export function polygonPerimeter(pts: readonly Point[]): number {
  let s = 0;
  for (let i = 0; i < pts.length; i++) s += dist(pts[i], pts[(i + 1) % pts.length]);
  return s;
}

/**
 * PaddleOCR's `unclip` for a rectangle: the detector is trained on text regions shrunk by the Vatti offset
 * D = A·r / L, so boxes are grown back by the same distance. pyclipper's round-join offset of a rectangle followed by
 * `minAreaRect` is exactly the rectangle with every side pushed out by D, so no polygon clipping is needed.
 */
export function unclipRect(rect: RotatedRect, ratio: number): RotatedRect {
  const [p0, p1, , p3] = rect.points;
  const w = rect.width, h = rect.height;
  const perimeter = 2 * (w + h);
  if (perimeter === 0) return rect;
  const d = (w * h * ratio) / perimeter;
  const cx = (rect.points[0][0] + rect.points[2][0]) / 2;
  const cy = (rect.points[0][1] + rect.points[2][1]) / 2;
  let ux = 1, uy = 0;
  if (w > 0) {
    ux = (p1[0] - p0[0]) / w;
    uy = (p1[1] - p0[1]) / w;
  } else if (h > 0) {
    // Degenerate width: derive the direction from the left edge instead.
    ux = (p3[1] - p0[1]) / h;
    uy = -(p3[0] - p0[0]) / h;
  }
  return rectFromAxes(cx, cy, ux, uy, w / 2 + d, h / 2 + d);
}
