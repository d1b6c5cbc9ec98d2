/** Images become PNG pages: a multi-page TIFF page by page, a PNG/JPEG/WebP as one page. */
import fs from "node:fs";
import path from "node:path";
import sharp, { type Sharp } from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { openInput, type InputUnit } from "@/lib/jobs/inputs";
import { failure, openAll, tempDir } from "./helpers";

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

/** A white page with a black bar whose left edge moves with the page number, so the order shows. */
function page(i: number, w = 300, h = 200): Sharp {
  const svg = `<svg width="${w}" height="${h}"><rect x="${20 + i * 90}" y="50" width="60" height="100" fill="black"/></svg>`;
  return sharp({ create: { width: w, height: h, channels: 3, background: "#ffffff" } }).composite([{ input: Buffer.from(svg) }]);
}

async function tiff(pages: number): Promise<Buffer> {
  const pngs = await Promise.all(Array.from({ length: pages }, (_, i) => page(i).png().toBuffer()));
  return sharp(pngs, { join: { animated: true } }).tiff().toBuffer();
}

/** Column of the first dark pixel on the middle row. */
async function barStart(u: InputUnit): Promise<number> {
  if (u.kind !== "page") throw new Error("not a page");
  const { data, info } = await sharp(u.png).greyscale().raw().toBuffer({ resolveWithObject: true });
  const row = Math.floor(info.height / 2) * info.width;
  for (let x = 0; x < info.width; x++) if (data[row + x] < 128) return x;
  return -1;
}

describe("image pages", () => {
  it("reads a 3-page TIFF page by page, in order, and resumes at `from`", async () => {
    const file = write("three.tiff", await tiff(3));
    const { info, units } = await openAll(file);
    expect(info).toEqual({ format: "tiff", unit: "page", total: 3, units: 3 });
    expect(units.map((u) => u.index)).toEqual([0, 1, 2]);
    expect(await Promise.all(units.map(barStart))).toEqual([20, 110, 200]);
    for (const u of units) expect(u.kind === "page" && [u.width, u.height]).toEqual([300, 200]);
    const resumed = await openAll(file, { from: 1 });
    expect(await Promise.all(resumed.units.map(barStart))).toEqual([110, 200]);
  });

  it("refuses a TIFF with more pages than maxPages", async () => {
    const f = await failure(openInput(write("many.tiff", await tiff(3)), { maxPages: 2 }));
    expect(f).toEqual({ code: "too_many_pages", message: "the TIFF has 3 pages; the limit is 2" });
  });

  it.each([
    ["png", () => page(1).png().toBuffer()],
    ["jpeg", () => page(1).jpeg({ quality: 95 }).toBuffer()],
    ["webp", () => page(1).webp({ lossless: true }).toBuffer()],
  ])("reads a %s as one PNG page", async (format, make) => {
    const { info, units } = await openAll(write(`one.${format}`, await make()));
    expect(info).toEqual({ format, unit: "page", total: 1, units: 1 });
    expect(units).toHaveLength(1);
    const u = units[0];
    if (u.kind !== "page") throw new Error("not a page");
    expect((await sharp(u.png).metadata()).format).toBe("png");
    expect(Math.abs((await barStart(u)) - 110)).toBeLessThanOrEqual(1);
  });

  it("puts a transparent PNG on white and fits a huge image within 5,000 px", async () => {
    const transparent = await sharp({ create: { width: 6000, height: 3000, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    const { units } = await openAll(write("clear.png", transparent));
    const u = units[0];
    if (u.kind !== "page") throw new Error("not a page");
    expect([u.width, u.height]).toEqual([5000, 2500]);
    const stats = await sharp(u.png).stats();
    expect(stats.channels[0].min).toBe(255); // white, not black
  });

  it.each([
    ["a PNG with garbage after its signature", Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(500, 7)]), "png"],
    ["a JPEG cut after its header", Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46]), "jpeg"],
    ["a TIFF header and nothing else", Buffer.from("II*\0\x08\0\0\0", "latin1"), "tiff"],
  ])("refuses %s", async (_name, bytes, ext) => {
    const f = await failure(
      (async () => {
        const r = await openInput(write(`bad-${Math.random()}.${ext}`, bytes), { maxPages: 5 });
        try {
          for (let u = await r.next(); u; u = await r.next());
        } finally {
          await r.close();
        }
      })(),
    );
    expect(f.code).toBe("image_invalid");
    expect(f.message).toMatch(new RegExp(`the ${ext.toUpperCase()} image cannot be`));
  });
});
