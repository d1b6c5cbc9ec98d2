/**
 * Bytes → upright 8-bit RGB. Every way an upload can be wrong ends here as a typed `InputError`, and the pixel
 * cap is enforced from the header alone so a small file declaring a huge canvas never gets decoded.
 */
import sharp, { type Metadata } from "sharp";
import { InputError } from "@/lib/models/tensor";
import { DEFAULT_MAX_PIXELS } from "./options";
import type { RgbImage } from "./types";

export type ImageFormat = "png" | "jpeg" | "webp";

/** Identifies the container by its magic bytes; anything else is refused before sharp sees it. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | null {
  const b = bytes;
  if (
    b.length >= 8 &&
    b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 &&
    b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a
  ) {
    return "png";
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
  // RIFF....WEBP
  if (
    b.length >= 12 &&
    b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 &&
    b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50
  ) {
    return "webp";
  }
  return null;
}

export interface DecodeOptions {
  /** Refuse when width × height (of one frame) exceeds this. */
  maxPixels?: number;
}

export interface DecodedImage extends RgbImage {
  format: ImageFormat;
  /** Frames in the file; only the first is decoded. */
  pages: number;
}

/** sharp reports every failure as a plain Error; only the pixel-limit one is the client's size problem. */
function mapSharpError(err: unknown, maxPixels: number): InputError {
  const message = err instanceof Error ? err.message : String(err);
  if (/pixel limit/i.test(message)) {
    return new InputError("image_too_large", `image exceeds the ${maxPixels} pixel limit`);
  }
  return new InputError("corrupt_input", `could not decode image: ${message.split("\n")[0]}`);
}

export interface ImageHeader {
  format: ImageFormat;
  width: number;
  /** Height of the first frame (the one we decode). */
  height: number;
  pages: number;
}

// `failOn: "truncated"` makes libjpeg/libpng's "premature end" warnings fatal: by default sharp pads a cut-off
// JPEG with grey and returns it. `limitInputPixels` is the second line of defence if a header lies to metadata.
// Without `animated`/`pages`, sharp reads only the first frame of GIF-like WebP, which is what we OCR.
const sharpOptions = (maxPixels: number) => ({ failOn: "truncated", limitInputPixels: maxPixels }) as const;

/**
 * What the header alone says (format, frame size, pages), refusing empty, unknown, corrupt and oversized images
 * without decoding a pixel: cheap enough for the main thread to size a request before any work is admitted.
 */
export async function readImageHeader(input: Buffer, maxPixels: number = DEFAULT_MAX_PIXELS): Promise<ImageHeader> {
  if (!input || input.length === 0) throw new InputError("empty_input", "image is empty");
  const format = sniffImageFormat(input);
  if (!format) {
    throw new InputError("unsupported_media_type", "image must be PNG, JPEG or WebP");
  }
  let meta: Metadata;
  try {
    meta = await sharp(input, sharpOptions(maxPixels)).metadata();
  } catch (err) {
    throw mapSharpError(err, maxPixels);
  }
  const width = meta.width ?? 0;
  const frameHeight = meta.pageHeight ?? meta.height ?? 0;
  if (width <= 0 || frameHeight <= 0) throw new InputError("corrupt_input", "image has no dimensions");
  if (width * frameHeight > maxPixels) {
    throw new InputError(
      "image_too_large",
      `image is ${width}x${frameHeight} (${width * frameHeight} pixels), over the ${maxPixels} pixel limit`,
    );
  }
  return { format, width, height: frameHeight, pages: meta.pages ?? 1 };
}

export async function decodeImage(input: Buffer, options: DecodeOptions = {}): Promise<DecodedImage> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const header = await readImageHeader(input, maxPixels);

  try {
    const { data, info } = await sharp(input, sharpOptions(maxPixels))
      .autoOrient()
      // Transparent text images usually have black text on transparent black: flatten onto white, not drop alpha.
      .flatten({ background: "#ffffff" })
      .toColourspace("srgb")
      .raw({ depth: "uchar" })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) {
      throw new InputError("corrupt_input", `unexpected ${info.channels}-channel output after conversion`);
    }
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
      format: header.format,
      pages: header.pages,
    };
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw mapSharpError(err, maxPixels);
  }
}
