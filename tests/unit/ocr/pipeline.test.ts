import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { cropTextLine } from "@/lib/models/ocr/crop";
import { loadCharset } from "@/lib/models/ocr/ctc-decode";
import { decodeImage } from "@/lib/models/ocr/decode-image";
import { detectText } from "@/lib/models/ocr/detect";
import { DEFAULT_OCR_OPTIONS } from "@/lib/models/ocr/options";
import { runOcr } from "@/lib/models/ocr/pipeline";
import { recognize, recognizeBatch, recPlan } from "@/lib/models/ocr/recognize";
import type { OcrOptions, RgbImage } from "@/lib/models/ocr/types";
import { catalogEntry } from "@/lib/models/catalog";
import { ocrModels } from "@/lib/models/run-entry";
import { InputError } from "@/lib/models/tensor";
import { directContext } from "@/tests/support/direct-context";
import { CJK_FONT, renderPng } from "./render";

const ctx = directContext();
afterAll(() => ctx.close());

/** PP-OCRv4 with its angle classifier: the files of the built-in -cls variant. */
const models = ocrModels(catalogEntry("ppocr-v4-det960-cls")!);
const opts = (patch: Partial<OcrOptions> = {}): OcrOptions => ({ ...DEFAULT_OCR_OPTIONS, ...patch });
const texts = (r: { lines: { text: string }[] }) => r.lines.map((l) => l.text);

const PANGRAM = "The quick brown fox jumps over the lazy dog";

describe("runOcr", () => {
  it("reads a clean English line exactly, spaces included", async () => {
    const r = await runOcr(await renderPng([PANGRAM]), opts(), ctx, models);
    expect(texts(r)).toEqual([PANGRAM]);
    const line = r.lines[0];
    expect(line.confidence).toBeGreaterThan(0.9);
    expect(line.box).toHaveLength(4);
    // Box is clockwise from top-left and inside the image.
    const [[x0, y0], [x1], [, y2]] = line.box;
    expect(x1).toBeGreaterThan(x0);
    expect(y2).toBeGreaterThan(y0);
    for (const [x, y] of line.box) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(r.width);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThan(r.height);
    }
    for (const v of Object.values(r.timings)) expect(v).toBeGreaterThanOrEqual(0);
  });

  it("reads a clean Chinese line exactly", async () => {
    const r = await runOcr(await renderPng(["今天天气很好"], { font: CJK_FONT, width: 400 }), opts(), ctx, models);
    expect(texts(r)).toEqual(["今天天气很好"]);
  });

  it("returns three lines in reading order", async () => {
    const lines = ["First line of the note", "Second line: 42 apples", "Third and final line"];
    const r = await runOcr(await renderPng(lines), opts(), ctx, models);
    expect(texts(r)).toEqual(lines);
    const tops = r.lines.map((l) => l.box[0][1]);
    expect([...tops].sort((a, b) => a - b)).toEqual(tops);
  });

  it("reads an upside-down image only with the angle classifier", async () => {
    const text = "Angle classifier test 2024";
    const upsideDown = await sharp(await renderPng([text], { width: 700 })).rotate(180).png().toBuffer();
    const without = await runOcr(upsideDown, opts({ useAngleCls: false }), ctx, models);
    expect(texts(without)).not.toEqual([text]);
    const withCls = await runOcr(upsideDown, opts({ useAngleCls: true }), ctx, models);
    expect(texts(withCls)).toEqual([text]);
    expect(withCls.timings.clsMs).toBeGreaterThan(0);
  });

  it("honours EXIF orientation of a JPEG", async () => {
    const text = "Rotated by the camera";
    const upright = await renderPng([text], { width: 600 });
    const { width, height } = await sharp(upright).metadata();
    // Pixels stored turned 90° counter-clockwise; orientation 6 tells viewers to turn them back.
    const stored = await sharp(upright).rotate(270).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
    const r = await runOcr(stored, opts(), ctx, models);
    expect([r.width, r.height]).toEqual([width, height]);
    expect(texts(r)).toEqual([text]);
  });

  it("gives the same lines with the classifier on for upright text", async () => {
    const png = await renderPng([PANGRAM, "今天天气很好"], { font: `DejaVu Sans, ${CJK_FONT}` });
    const a = await runOcr(png, opts({ useAngleCls: false }), ctx, models);
    const b = await runOcr(png, opts({ useAngleCls: true }), ctx, models);
    expect(texts(b)).toEqual(texts(a));
  });

  it("returns no lines for a blank image", async () => {
    const blank = await sharp({ create: { width: 300, height: 100, channels: 3, background: "#fff" } }).png().toBuffer();
    const r = await runOcr(blank, opts(), ctx, models);
    expect(r.lines).toEqual([]);
    expect([r.width, r.height]).toEqual([300, 100]);
  });

  it("validates options before touching the image", async () => {
    await expect(runOcr(Buffer.alloc(0), opts({ boxThresh: 7 }), ctx, models)).rejects.toMatchObject({
      code: "invalid_option",
      param: "boxThresh",
    });
    await expect(runOcr(Buffer.alloc(0), opts(), ctx, models)).rejects.toBeInstanceOf(InputError);
  });
});

describe("recognition batching", () => {
  async function cropsOf(png: Buffer): Promise<RgbImage[]> {
    const img = await decodeImage(png);
    const boxes = await detectText(img, { limitSide: 960, thresh: 0.3, boxThresh: 0.6, unclipRatio: 2 }, ctx, models.det);
    return boxes.map((b) => cropTextLine(img, b)).filter((c): c is RgbImage => c !== null);
  }

  it("one call with several crops equals one call per crop", async () => {
    const words = ["alpha", "Bravo 7", "charlie", "数据", "echo!", "foxtrot"];
    const crops = await cropsOf(await renderPng(words, { font: `DejaVu Sans, ${CJK_FONT}`, width: 400 }));
    expect(crops.length).toBe(words.length);
    const plans = crops.map((c) => recPlan(c.width, c.height));
    // Short words all land in the minimum bucket, so they can share one call.
    expect(new Set(plans.map((p) => p.bucket)).size).toBe(1);
    const charset = await loadCharset(models.dict);
    const batched = await recognizeBatch(crops, plans, charset, ctx, models.rec);
    const single = await Promise.all(crops.map((c, i) => recognizeBatch([c], [plans[i]], charset, ctx, models.rec)));
    expect(batched.map((t) => t.text)).toEqual(words);
    batched.forEach((t, i) => {
      expect(t.text).toBe(single[i][0].text);
      expect(Math.abs(t.confidence - single[i][0].confidence)).toBeLessThan(1e-5);
    });
  });

  it("grouping by bucket does not change results, whatever the order", async () => {
    const lines = ["short", "a somewhat longer line of text here", "mid length words", "x"];
    const crops = await cropsOf(await renderPng(lines, { width: 800 }));
    const charset = await loadCharset(models.dict);
    const all = await recognize(crops, charset, ctx, models.rec);
    const reversed = (await recognize([...crops].reverse(), charset, ctx, models.rec)).reverse();
    const oneByOne = [];
    for (const c of crops) oneByOne.push((await recognize([c], charset, ctx, models.rec))[0]);
    for (const other of [reversed, oneByOne]) {
      other.forEach((t, i) => {
        expect(t.text).toBe(all[i].text);
        expect(Math.abs(t.confidence - all[i].confidence)).toBeLessThan(1e-5);
      });
    }
  });
});
