import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { decodeImage, sniffImageFormat } from "@/lib/models/ocr/decode-image";
import { InputError, type InputErrorCode } from "@/lib/models/tensor";
import { pngBomb, renderPng } from "./render";

async function codeOf(p: Promise<unknown>): Promise<InputErrorCode | "ok"> {
  try {
    await p;
    return "ok";
  } catch (err) {
    if (err instanceof InputError) return err.code;
    throw err;
  }
}

describe("sniffImageFormat", () => {
  it("recognises PNG, JPEG and WebP by magic bytes only", async () => {
    const base = sharp({ create: { width: 4, height: 4, channels: 3, background: "#fff" } });
    expect(sniffImageFormat(await base.clone().png().toBuffer())).toBe("png");
    expect(sniffImageFormat(await base.clone().jpeg().toBuffer())).toBe("jpeg");
    expect(sniffImageFormat(await base.clone().webp().toBuffer())).toBe("webp");
    expect(sniffImageFormat(await base.clone().gif().toBuffer())).toBeNull();
    expect(sniffImageFormat(Buffer.from("RIFF0000WAVE"))).toBeNull();
  });
});

describe("decodeImage: bad inputs", async () => {
  const png = await renderPng(["Hello"], { width: 300 });
  const jpeg = await sharp(png).jpeg().toBuffer();
  const gif = await sharp(png).gif().toBuffer();
  // Deterministic noise that happens to start with no known signature.
  const random = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24));

  const cases: [string, () => Promise<unknown>, InputErrorCode][] = [
    ["zero bytes", () => decodeImage(Buffer.alloc(0)), "empty_input"],
    ["random bytes", () => decodeImage(random), "unsupported_media_type"],
    ["a text file", () => decodeImage(Buffer.from("name,score\nada,1\n")), "unsupported_media_type"],
    ["a GIF", () => decodeImage(gif), "unsupported_media_type"],
    ["a PNG signature alone", () => decodeImage(png.subarray(0, 8)), "corrupt_input"],
    ["a PNG cut after its header", () => decodeImage(png.subarray(0, 40)), "corrupt_input"],
    ["a truncated PNG", () => decodeImage(png.subarray(0, Math.floor(png.length / 2))), "corrupt_input"],
    ["a truncated JPEG", () => decodeImage(jpeg.subarray(0, Math.floor(jpeg.length / 2))), "corrupt_input"],
    ["a JPEG missing only its end marker region", () => decodeImage(jpeg.subarray(0, jpeg.length - 200)), "corrupt_input"],
    ["a 30000x30000 PNG bomb", () => decodeImage(pngBomb(30000, 30000)), "image_too_large"],
    ["a 20000x20000 PNG bomb", () => decodeImage(pngBomb(20000, 20000)), "image_too_large"],
    // Under sharp's own default limit: only our metadata check stands between it and a 48 MB allocation.
    ["an 8000x6000 PNG bomb (over the 40 MP default)", () => decodeImage(pngBomb(8000, 6000)), "image_too_large"],
    ["a real image over a small maxPixels", () => decodeImage(png, { maxPixels: 1000 }), "image_too_large"],
  ];

  it.each(cases)("%s → %s", async (_name, run, code) => {
    expect(await codeOf(run())).toBe(code);
  });

  it("refuses the bomb from its header, without decoding", async () => {
    const bomb = pngBomb(30000, 30000);
    expect(bomb.length).toBeLessThan(200);
    const t = performance.now();
    await expect(decodeImage(bomb)).rejects.toBeInstanceOf(InputError);
    expect(performance.now() - t).toBeLessThan(500);
  });
});

describe("decodeImage: good inputs", () => {
  it("returns 8-bit RGB of PNG, JPEG and WebP", async () => {
    const png = await renderPng(["Hello"], { width: 300 });
    for (const buf of [png, await sharp(png).jpeg().toBuffer(), await sharp(png).webp().toBuffer()]) {
      const img = await decodeImage(buf);
      expect(img.data.length).toBe(img.width * img.height * 3);
      expect(img.width).toBe(300);
    }
  });

  it("flattens transparency onto white and expands greyscale to RGB", async () => {
    const transparent = await sharp({ create: { width: 8, height: 8, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .png()
      .toBuffer();
    const img = await decodeImage(transparent);
    expect([...img.data.subarray(0, 3)]).toEqual([255, 255, 255]);
    const grey = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#808080" } }).greyscale().png().toBuffer();
    const g = await decodeImage(grey);
    expect(g.data.length).toBe(8 * 8 * 3);
  });

  it("applies EXIF orientation", async () => {
    const upright = await sharp({ create: { width: 40, height: 10, channels: 3, background: "#fff" } }).png().toBuffer();
    // Stored 10x40; orientation 6 says "rotate 90° clockwise to display".
    const stored = await sharp(upright).rotate(270).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const meta = await sharp(stored).metadata();
    expect([meta.width, meta.height, meta.orientation]).toEqual([10, 40, 6]);
    const img = await decodeImage(stored);
    expect([img.width, img.height]).toEqual([40, 10]);
  });

  it("decodes only the first frame of an animated WebP", async () => {
    const frame = (c: string) => sharp({ create: { width: 20, height: 10, channels: 3, background: c } }).png().toBuffer();
    const anim = await sharp([await frame("#ff0000"), await frame("#0000ff")], { join: { animated: true } })
      .webp({ lossless: true })
      .toBuffer();
    const img = await decodeImage(anim);
    expect([img.width, img.height, img.pages]).toEqual([20, 10, 2]);
    expect([...img.data.subarray(0, 3)]).toEqual([255, 0, 0]);
  });
});
