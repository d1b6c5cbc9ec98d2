import path from "node:path";
import { describe, expect, it } from "vitest";
import { ocrEvalSet, stratified, vadEvalSet } from "@/lib/selection/eval-sets";
import { scoreOcr, scoreVad } from "@/lib/selection/scoring";

const root = path.resolve(__dirname, "../../..");

describe("eval sets and scoring", () => {
  it("quick subsets cover the groups that separate the variants, the same on every call", () => {
    const ocr = ocrEvalSet(root, 8);
    expect(ocr.total).toBe(102);
    expect(ocr.items.map((i) => i.file.split("-")[0])).toEqual(["zh", "en", "mixed", "para", "rot180", "wide", "rotated", "blur"]);
    expect(ocrEvalSet(root, 8).items).toEqual(ocr.items);
    const vad = vadEvalSet(root, 8);
    expect(vad.total).toBe(50);
    expect(new Set(vad.items.map((i) => i.file.split("-")[0])).size).toBe(8);
    expect(ocrEvalSet(root).items).toHaveLength(102);
  });

  it("stratified takes round-robin over groups, then second items", () => {
    const items = ["a-1", "a-2", "b-1", "c-1", "c-2"].map((file) => ({ file }));
    expect(stratified(items, ["c", "a"], 4).map((i) => i.file)).toEqual(["c-1", "a-1", "b-1", "c-2"]);
    expect(stratified(items, [], 9)).toHaveLength(5);
  });

  it("OCR accuracy is 1 − CER over lines joined by newlines", () => {
    const items = [{ file: "x", lines: ["ab cd", "ef"], tags: [] }];
    expect(scoreOcr(items, [["ab cd", "ef"]]).find((m) => m.metric === "accuracy")!.value).toBe(1);
    const s = scoreOcr(items, [["abcd", "ef"]]);
    expect(s.find((m) => m.metric === "cer")!.value).toBeCloseTo(1 / 8);
    expect(s.find((m) => m.metric === "cer_no_spaces")!.value).toBe(0);
    expect(scoreOcr(items, [[]]).find((m) => m.metric === "accuracy")!.value).toBe(0);
  });

  it("VAD accuracy is pooled frame F1 at 10 ms", () => {
    const items = [{ file: "x", durationS: 1, speech: [[0.2, 0.6]] as [number, number][], tags: [] }];
    const perfect = scoreVad(items, [[{ start: 0.2, end: 0.6 }]]);
    expect(perfect.find((m) => m.metric === "accuracy")!.value).toBe(1);
    const half = scoreVad(items, [[{ start: 0.4, end: 0.6 }]]);
    expect(half.find((m) => m.metric === "precision")!.value).toBe(1);
    expect(half.find((m) => m.metric === "recall")!.value).toBeCloseTo(0.5);
  });
});
