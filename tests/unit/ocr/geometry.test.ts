import { describe, expect, it } from "vitest";
import { cropSize, cropTextLine, homography, rotate180, rotate90ccw, warpQuad } from "@/lib/models/ocr/crop";
import { charsetFromDictionary, ctcGreedyDecode } from "@/lib/models/ocr/ctc-decode";
import { boxScoreFast, boxesFromProbMap } from "@/lib/models/ocr/db-postprocess";
import { detResizeDims } from "@/lib/models/ocr/detect";
import {
  convexHull,
  minAreaRect,
  orderQuadClockwise,
  polygonArea,
  polygonPerimeter,
  unclipRect,
} from "@/lib/models/ocr/geometry";
import { readingOrder } from "@/lib/models/ocr/reading-order";
import { recPlan } from "@/lib/models/ocr/recognize";
import type { Point, Quad, RgbImage } from "@/lib/models/ocr/types";

const close = (a: readonly Point[], b: readonly Point[], eps = 1e-6) => {
  expect(a.length).toBe(b.length);
  a.forEach((p, i) => {
    expect(p[0]).toBeCloseTo(b[i][0], -Math.log10(eps));
    expect(p[1]).toBeCloseTo(b[i][1], -Math.log10(eps));
  });
};

function rotate(p: Point, deg: number, c: Point = [0, 0]): Point {
  const r = (deg * Math.PI) / 180;
  const x = p[0] - c[0], y = p[1] - c[1];
  return [c[0] + x * Math.cos(r) - y * Math.sin(r), c[1] + x * Math.sin(r) + y * Math.cos(r)];
}

describe("convex hull and min-area rectangle", () => {
  it("hull drops interior and collinear points", () => {
    const pts = [0, 0, 2, 0, 4, 0, 4, 3, 2, 1, 0, 3, 1, 1];
    const hull = convexHull(pts);
    expect(hull.length / 2).toBe(4);
  });

  it("axis-aligned rectangle with interior points", () => {
    const r = minAreaRect([[10, 20], [50, 20], [50, 30], [10, 30], [30, 25], [12, 22]]);
    close(r.points, [[10, 20], [50, 20], [50, 30], [10, 30]]);
    expect(r.width).toBeCloseTo(40);
    expect(r.height).toBeCloseTo(10);
  });

  it("recovers a 30°-rotated rectangle from its corners plus edge points", () => {
    const corners: Point[] = [[0, 0], [40, 0], [40, 10], [0, 10]].map((p) => rotate(p as Point, 30, [20, 5]));
    const edge: Point[] = [rotate([20, 0], 30, [20, 5]), rotate([5, 10], 30, [20, 5]), rotate([20, 5], 30, [20, 5])];
    const r = minAreaRect([...edge, ...corners]);
    expect(r.width).toBeCloseTo(40, 6);
    expect(r.height).toBeCloseTo(10, 6);
    expect(polygonArea(r.points)).toBeCloseTo(400, 6);
    // Top-left is the corner whose top edge points right-and-down at +30°.
    close([r.points[0]], [corners[0]]);
  });

  it("min-area rect of a triangle has a side on a triangle edge", () => {
    const r = minAreaRect([[0, 0], [10, 0], [5, 5]]);
    expect(polygonArea(r.points)).toBeCloseTo(50, 6);
  });
});

describe("corner ordering", () => {
  it("orders any permutation clockwise from top-left", () => {
    const q: Point[] = [[100, 50], [10, 12], [10, 50], [100, 10]];
    expect(orderQuadClockwise(q)).toEqual([[10, 12], [100, 10], [100, 50], [10, 50]]);
  });

  it("is deterministic at exactly 45°", () => {
    const diamond: Point[] = [[0, -1], [1, 0], [0, 1], [-1, 0]];
    const a = orderQuadClockwise(diamond);
    const b = orderQuadClockwise([...diamond].reverse());
    expect(a).toEqual(b);
    // The top edge leaves top-left pointing right and down (+45°).
    expect(a).toEqual([[0, -1], [1, 0], [0, 1], [-1, 0]]);
  });
});

describe("unclip", () => {
  it("pushes every side out by area·ratio/perimeter", () => {
    const rect = minAreaRect([[0, 0], [100, 0], [100, 10], [0, 10]]);
    const d = (100 * 10 * 1.5) / 220;
    const grown = unclipRect(rect, 1.5);
    close(grown.points, [[-d, -d], [100 + d, -d], [100 + d, 10 + d], [-d, 10 + d]]);
    expect(polygonPerimeter(grown.points)).toBeCloseTo(220 + 8 * d);
  });

  it("keeps orientation for rotated boxes", () => {
    const pts = ([[0, 0], [60, 0], [60, 20], [0, 20]] as Point[]).map((p) => rotate(p, -20, [30, 10]));
    const grown = unclipRect(minAreaRect(pts), 2);
    const d = (60 * 20 * 2) / 160;
    expect(grown.width).toBeCloseTo(60 + 2 * d, 6);
    expect(grown.height).toBeCloseTo(20 + 2 * d, 6);
  });
});

describe("DB post-processing", () => {
  it("scores the mean probability inside the quad", () => {
    const w = 10, h = 10;
    const prob = new Float32Array(w * h);
    for (let y = 2; y <= 5; y++) for (let x = 2; x <= 7; x++) prob[y * w + x] = 0.8;
    expect(boxScoreFast(prob, w, h, [[2, 2], [7, 2], [7, 5], [2, 5]])).toBeCloseTo(0.8, 6);
    expect(boxScoreFast(prob, w, h, [[0, 0], [9, 0], [9, 9], [0, 9]])).toBeCloseTo((0.8 * 24) / 100, 6);
  });

  it("turns one blob into one unclipped box in source coordinates", () => {
    const w = 64, h = 32;
    const prob = new Float32Array(w * h);
    for (let y = 10; y <= 19; y++) for (let x = 8; x <= 47; x++) prob[y * w + x] = 0.9;
    // A speck below min_size and a faint blob below box_thresh: both dropped.
    prob[2 * w + 60] = 0.9;
    for (let y = 24; y <= 29; y++) for (let x = 8; x <= 40; x++) prob[y * w + x] = 0.4;
    const boxes = boxesFromProbMap(prob, w, h, 128, 64, { thresh: 0.3, boxThresh: 0.6, unclipRatio: 1.5 });
    expect(boxes).toHaveLength(1);
    // Pixel-centre rect 39x9 grown by d = 39·9·1.5/96 ≈ 5.48, then ×2 to the source.
    const d = (39 * 9 * 1.5) / 96;
    const expected: Point[] = [
      [Math.round((8 - d) * 2), Math.round((10 - d) * 2)],
      [Math.round((47 + d) * 2), Math.round((10 - d) * 2)],
      [Math.round((47 + d) * 2), Math.round((19 + d) * 2)],
      [Math.round((8 - d) * 2), Math.round((19 + d) * 2)],
    ];
    expect(boxes[0]).toEqual(expected);
  });

  it("separates 8-connected regions and clips boxes to the image", () => {
    const w = 40, h = 20;
    const prob = new Float32Array(w * h).fill(0);
    for (let y = 0; y <= 6; y++) for (let x = 0; x <= 15; x++) prob[y * w + x] = 1;
    for (let y = 10; y <= 19; y++) for (let x = 20; x <= 39; x++) prob[y * w + x] = 1;
    const boxes = boxesFromProbMap(prob, w, h, w, h, { thresh: 0.3, boxThresh: 0.6, unclipRatio: 1.5 });
    expect(boxes).toHaveLength(2);
    for (const b of boxes) for (const [x, y] of b) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(w - 1);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(h - 1);
    }
  });

  it("sizes the detector input like DetResizeForTest (max side, multiples of 32)", () => {
    expect(detResizeDims(1000, 500, 960)).toEqual({ width: 960, height: 480 });
    expect(detResizeDims(300, 100, 960)).toEqual({ width: 288, height: 96 });
    expect(detResizeDims(10, 10, 960)).toEqual({ width: 32, height: 32 });
    // Python rounds 2.5 to 2: 80/32 = 2.5 → 64.
    expect(detResizeDims(80, 80, 960)).toEqual({ width: 64, height: 64 });
  });
});

describe("crop", () => {
  function gradient(w: number, h: number): RgbImage {
    const data = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set([x, y, (x + y) & 255], (y * w + x) * 3);
    return { data, width: w, height: h };
  }

  it("homography maps the four corners", () => {
    const from: Quad = [[0, 0], [10, 0], [10, 5], [0, 5]];
    const to: Quad = [[3, 4], [20, 6], [19, 15], [2, 12]];
    const h = homography(from, to);
    from.forEach(([x, y], i) => {
      const d = h[6] * x + h[7] * y + h[8];
      expect((h[0] * x + h[1] * y + h[2]) / d).toBeCloseTo(to[i][0], 9);
      expect((h[3] * x + h[4] * y + h[5]) / d).toBeCloseTo(to[i][1], 9);
    });
  });

  it("an axis-aligned quad crops exact pixels", () => {
    const img = gradient(50, 40);
    const q: Quad = [[5, 7], [25, 7], [25, 17], [5, 17]];
    expect(cropSize(q)).toEqual({ width: 20, height: 10 });
    const c = warpQuad(img, q, 20, 10);
    expect([...c.data.subarray(0, 3)]).toEqual([5, 7, 12]);
    const last = (9 * 20 + 19) * 3;
    expect([...c.data.subarray(last, last + 3)]).toEqual([24, 16, 40]);
  });

  it("rotates tall crops 90° counter-clockwise and flips 180°", () => {
    const img: RgbImage = { data: new Uint8Array([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6]), width: 2, height: 3 };
    // [[1,2],[3,4],[5,6]] → rot90 ccw → [[2,4,6],[1,3,5]]
    const r = rotate90ccw(img);
    expect([r.width, r.height]).toEqual([3, 2]);
    expect([...r.data].filter((_, i) => i % 3 === 0)).toEqual([2, 4, 6, 1, 3, 5]);
    expect([...rotate180(img).data].filter((_, i) => i % 3 === 0)).toEqual([6, 5, 4, 3, 2, 1]);
    const tall = cropTextLine(gradient(50, 50), [[0, 0], [10, 0], [10, 30], [0, 30]]);
    expect([tall?.width, tall?.height]).toEqual([30, 10]);
  });
});

describe("CTC greedy decode", () => {
  // Dictionary "a", "b", "c" → classes: 0 blank, 1 a, 2 b, 3 c, 4 space.
  const charset = charsetFromDictionary("a\nb\nc\n");

  // Confident frames: the real model spreads its remaining mass over 6,625 classes, so each gets ~0.
  function probs(seq: number[], classes = 5, p = 0.9): Float32Array {
    const out = new Float32Array(seq.length * classes).fill(0.001);
    seq.forEach((c, t) => (out[t * classes + c] = p));
    return out;
  }

  it("appends the space class after the dictionary (use_space_char)", () => {
    expect(charset.chars).toEqual(["", "a", "b", "c", " "]);
    expect(charsetFromDictionary("x\r\ny").chars).toEqual(["", "x", "y", " "]);
  });

  it("merges repeats, drops blanks, keeps repeats separated by blanks, and decodes spaces", () => {
    const seq = [1, 1, 0, 1, 2, 2, 4, 4, 3, 0, 0, 3, 0];
    const d = ctcGreedyDecode(probs(seq), 0, seq.length, 5, charset);
    // a a | blank | a | b b | space space | c | blank blank | c | blank
    expect(d.text).toBe("aab cc");
    expect(d.confidence).toBeCloseTo(0.9, 6);
  });

  it("averages the max probability of emitted characters only", () => {
    const p = probs([1, 0, 2]);
    p[2 * 5 + 2] = 0.5;
    const d = ctcGreedyDecode(p, 0, 3, 5, charset);
    expect(d.text).toBe("ab");
    expect(d.confidence).toBeCloseTo(0.7, 6);
  });

  it.each([
    { spaceP: 0.05, text: "a b" },
    { spaceP: 0.005, text: "ab" },
  ])("recovers a space the argmax dropped when the gap gives the space class $spaceP", ({ spaceP, text }) => {
    const p = probs([1, 0, 0, 2]);
    p[1 * 5 + 4] = spaceP;
    p[2 * 5 + 4] = spaceP / 2;
    expect(ctcGreedyDecode(p, 0, 4, 5, charset).text).toBe(text);
  });

  it("empty output has confidence 0", () => {
    expect(ctcGreedyDecode(probs([0, 0, 0]), 0, 3, 5, charset)).toEqual({ text: "", confidence: 0 });
  });

  it("decodes at an offset (one sequence of a batch)", () => {
    const both = new Float32Array([...probs([1, 0]), ...probs([3, 3])]);
    expect(ctcGreedyDecode(both, 10, 2, 5, charset).text).toBe("c");
  });
});

describe("reading order", () => {
  const box = (x: number, y: number, w: number, h: number): Point[] => [[x, y], [x + w, y], [x + w, y + h], [x, y + h]];

  it("top to bottom, then left to right within a row", () => {
    const boxes = [box(300, 102, 80, 30), box(10, 200, 200, 30), box(10, 100, 200, 30), box(10, 10, 300, 40)];
    expect(readingOrder(boxes)).toEqual([3, 2, 0, 1]);
  });

  it("uses a tolerance relative to line height, not a fixed 10 px", () => {
    // Large text, 14 px baseline jitter: same row. Tiny text 8 px apart: different rows.
    expect(readingOrder([box(400, 114, 300, 100), box(10, 100, 300, 100)])).toEqual([1, 0]);
    expect(readingOrder([box(10, 108, 100, 6), box(200, 100, 100, 6)])).toEqual([1, 0]);
  });
});

describe("rec width buckets", () => {
  it("depend only on the crop, are multiples of 32 and at least 320", () => {
    expect(recPlan(100, 48)).toEqual({ width: 100, bucket: 320 });
    expect(recPlan(1000, 50)).toEqual({ width: 960, bucket: 960 });
    expect(recPlan(1001, 50)).toEqual({ width: 961, bucket: 992 });
    expect(recPlan(100000, 48).bucket).toBe(3840);
  });
});
