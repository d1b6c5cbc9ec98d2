/**
 * Issue 11 item 17: the image-decoding wrapper on generated input — small valid PNG, JPEG and WebP files with
 * random byte edits (biased towards their headers), and raw bytes behind each format's magic. readImageHeader,
 * imageSize and decodeImage either agree on a consistent RGB image or throw a typed InputError; nothing else.
 */
import fc from "fast-check";
import sharp from "sharp";
import { beforeAll, describe, it } from "vitest";
import { isInputError } from "@/lib/models/errors";
import { imageSize } from "@/lib/models/input-size";
import { decodeImage, readImageHeader } from "@/lib/models/ocr/decode-image";
import { blankPng, pngDeclaring } from "@/tests/support/hostile";
import { RUNS, mutatedOneOf } from "./mutate";

const MAX_PIXELS = 1_000_000;

async function check(b: Buffer): Promise<void> {
  let header;
  try {
    header = await readImageHeader(b, MAX_PIXELS);
  } catch (e) {
    if (!isInputError(e)) throw e;
    return;
  }
  const size = await imageSize(b, MAX_PIXELS).catch((e: unknown) => {
    throw isInputError(e) ? new Error(`imageSize refused what readImageHeader accepted: ${e.message}`) : e;
  });
  if (size.pixels !== header.width * header.height || size.pixels > MAX_PIXELS) throw new Error("inconsistent size");
  try {
    const img = await decodeImage(b, { maxPixels: MAX_PIXELS });
    if (img.data.length !== img.width * img.height * 3) throw new Error("RGB buffer does not match its dimensions");
    // EXIF orientation may swap the axes, never change the pixel count.
    if (img.width * img.height !== size.pixels) throw new Error(`decoded ${img.width}x${img.height}, header said ${header.width}x${header.height}`);
  } catch (e) {
    if (!isInputError(e)) throw e;
  }
}

describe("fuzz: image decoding", () => {
  let bases: Buffer[];
  beforeAll(async () => {
    const rgb = sharp({ create: { width: 6, height: 5, channels: 3, background: "#3a7" } });
    const rgba = sharp({ create: { width: 5, height: 4, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0.5 } } });
    bases = [
      await rgb.clone().png().toBuffer(),
      await rgba.clone().png({ palette: true }).toBuffer(),
      await rgb.clone().jpeg({ quality: 50 }).toBuffer(),
      await rgb.clone().jpeg({ progressive: true }).withMetadata({ orientation: 6 }).toBuffer(),
      await rgb.clone().webp({ lossless: true }).toBuffer(),
      await rgba.clone().webp({ quality: 40 }).toBuffer(),
      blankPng(8, 3),
      pngDeclaring(2000, 2000),
    ];
  });

  // The generated files are 60–400 bytes: each decode takes well under a millisecond, so the full 10,000 run.
  it(`mutated PNG, JPEG and WebP files: ${RUNS} inputs`, async () => {
    await fc.assert(fc.asyncProperty(fc.constant(null).chain(() => mutatedOneOf(bases)), (b) => check(b)), { numRuns: RUNS });
  });

  it(`raw bytes behind each format's magic: ${RUNS} inputs`, async () => {
    const magic = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from([0xff, 0xd8, 0xff]), Buffer.from("RIFF\u0000\u0000\u0000\u0000WEBPVP8 ", "latin1"), Buffer.alloc(0)];
    const raw = fc.tuple(fc.constantFrom(...magic), fc.uint8Array({ maxLength: 64 })).map(([m, t]) => Buffer.concat([m, t]));
    await fc.assert(fc.asyncProperty(raw, (b) => check(b)), { numRuns: RUNS });
  });
});
