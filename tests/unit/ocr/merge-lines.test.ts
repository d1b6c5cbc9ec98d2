import { describe, expect, it } from "vitest";
import { mergeLineBoxes } from "@/lib/models/ocr/merge-lines";
import type { Quad } from "@/lib/models/ocr/types";

const rect = (x: number, y: number, w: number, h: number): Quad => [[x, y], [x + w, y], [x + w, y + h], [x, y + h]];

describe("mergeLineBoxes", () => {
  it("joins two word boxes of one line that overlap after unclipping", () => {
    const out = mergeLineBoxes([rect(188, 82, 240, 41), rect(402, 80, 210, 44)]);
    expect(out).toEqual([rect(188, 80, 424, 44)]);
  });

  it.each([
    { name: "far apart on one line (columns)", boxes: [rect(0, 0, 100, 30), rect(160, 0, 100, 30)] },
    { name: "different lines", boxes: [rect(0, 0, 100, 30), rect(0, 35, 100, 30)] },
    { name: "very different heights", boxes: [rect(0, 0, 100, 60), rect(105, 10, 100, 20)] },
    { name: "a slanted box", boxes: [rect(0, 0, 100, 30), [[105, 0], [205, 20], [205, 50], [105, 30]] as Quad] },
  ])("keeps boxes apart: $name", ({ boxes }) => {
    expect(mergeLineBoxes(boxes)).toEqual(boxes);
  });
});
