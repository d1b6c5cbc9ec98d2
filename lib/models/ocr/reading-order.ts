/**
 * Reading order for detected lines: top to bottom, left to right within a row. PaddleOCR's `sorted_boxes` uses a
 * fixed 10 px tolerance on the top-left corner, which splits rows of large text and merges rows of tiny text; here
 * two boxes share a row when their vertical centres are closer than half the shorter box's height.
 */
import type { Point } from "./types";

interface Extent {
  index: number;
  left: number;
  cy: number;
  h: number;
}

function extent(box: readonly Point[], index: number): Extent {
  let minX = Infinity, minY = Infinity, maxY = -Infinity;
  for (const [x, y] of box) {
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return { index, left: minX, cy: (minY + maxY) / 2, h: maxY - minY };
}

/** Returns the indices of `boxes` in reading order. */
export function readingOrder(boxes: readonly (readonly Point[])[]): number[] {
  const items = boxes.map(extent).sort((a, b) => a.cy - b.cy || a.left - b.left);
  const rows: Extent[][] = [];
  for (const it of items) {
    const row = rows[rows.length - 1];
    const anchor = row?.[0];
    if (anchor && Math.abs(it.cy - anchor.cy) < 0.5 * Math.min(it.h, anchor.h)) row.push(it);
    else rows.push([it]);
  }
  return rows.flatMap((row) => row.sort((a, b) => a.left - b.left).map((it) => it.index));
}
