/**
 * PDFs become PNG pages in the reader thread (build/job-input-worker.mjs, built by `npm ci`'s postinstall or
 * `node scripts/build-worker.mjs`).
 */
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { openInput } from "@/lib/jobs/inputs";
import { failure, FIXTURES, makePdf, openAll, tempDir, textBaseline } from "./helpers";

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

/** Dark pixels (gray < 128) in rows [y0, y1) of a page. */
async function darkRows(png: Uint8Array, y0: number, y1: number): Promise<number> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  let dark = 0;
  for (let y = Math.max(0, y0); y < Math.min(info.height, y1); y++) {
    for (let x = 0; x < info.width; x++) if (data[y * info.width + x] < 128) dark++;
  }
  return dark;
}

describe("PDF pages", () => {
  it("renders every page in order at 200 dpi, text where it was drawn and white elsewhere", async () => {
    const file = write("three.pdf", await makePdf(3));
    const { info, units } = await openAll(file);
    expect(info).toEqual({ format: "pdf", unit: "page", total: 3, units: 3 });
    expect(units.map((u) => u.index)).toEqual([0, 1, 2]);
    for (const u of units) {
      if (u.kind !== "page") throw new Error("not a page");
      expect([u.width, u.height]).toEqual([1700, 2200]); // 8.5 × 11 in at 200 dpi
      const meta = await sharp(u.png).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(["png", 1700, 2200]);
      // The word sits on baseline textBaseline(i) (points from the bottom); 60 pt capitals rise ~43 pt above it.
      const scale = 200 / 72;
      const top = Math.round((792 - textBaseline(u.index) - 45) * scale);
      const bottom = Math.round((792 - textBaseline(u.index) + 2) * scale);
      expect(await darkRows(u.png, top, bottom)).toBeGreaterThan(5_000);
      expect(await darkRows(u.png, 0, top - 20)).toBe(0);
      expect(await darkRows(u.png, bottom + 20, 2200)).toBe(0);
    }
  });

  it("resumes at `from` and honours dpi", async () => {
    const file = write("resume.pdf", await makePdf(3));
    const { info, units } = await openAll(file, { from: 2, dpi: 100 });
    expect(info.total).toBe(3);
    expect(units.map((u) => [u.index, u.kind === "page" && u.width, u.kind === "page" && u.height])).toEqual([[2, 850, 1100]]);
    expect((await openAll(file, { from: 3 })).units).toEqual([]);
  });

  it("caps a huge MediaBox at 5,000 px on the longest side", async () => {
    const file = write("huge.pdf", await makePdf(1, [14_000, 7_000]));
    const { units } = await openAll(file);
    const u = units[0];
    if (u.kind !== "page") throw new Error("not a page");
    expect([u.width, u.height]).toEqual([5000, 2500]);
  });

  it("refuses more pages than maxPages before rendering any", async () => {
    const file = write("many.pdf", await makePdf(4));
    const f = await failure(openInput(file, { maxPages: 3 }));
    expect(f).toEqual({ code: "too_many_pages", message: "the PDF has 4 pages; the limit is 3" });
  });

  it.each([
    ["a password-protected PDF", () => fs.readFileSync(path.join(FIXTURES, "encrypted.pdf")), "pdf_encrypted", /password/],
    ["a PDF cut in half", async () => (await makePdf(3)).subarray(0, 700), "pdf_invalid", /PDF/],
    ["garbage behind a %PDF header", async () => Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(4000, 0x5a)]), "pdf_invalid", /PDF/],
    ["a %PDF header and nothing else", async () => Buffer.from("%PDF-1.4\n"), "pdf_invalid", /PDF/],
  ])("refuses %s", async (_name, make, code, message) => {
    const file = write(`bad-${code}-${Math.random()}.pdf`, await make());
    const f = await (async () => {
      try {
        // A broken PDF may open (pdf.js rebuilds the xref) and fail on its first page: either way it is refused.
        const r = await openInput(file, { maxPages: 10 });
        try {
          for (let u = await r.next(); u; u = await r.next());
        } finally {
          await r.close();
        }
        return { code: "none", message: "" };
      } catch (e) {
        return { code: (e as { code: string }).code, message: (e as Error).message };
      }
    })();
    expect(f.code, f.message).toBe(code);
    expect(f.message).toMatch(message);
  });
});
