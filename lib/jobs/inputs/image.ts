/**
 * Images as pages: a multi-page TIFF page by page (sharp's `page` option: only that page is decoded), a PNG, JPEG
 * or WebP as one page. Everything is re-encoded to PNG on a white background (alpha flattened: a transparent
 * background would read as black to OCR) and fitted within MAX_PAGE_SIDE.
 */
import sharp from "sharp";
import { inputError } from "./errors";
import { MAX_PAGE_SIDE } from "./page-size";
import type { UnitSource } from "./source";
import type { InputFormat, InputInfo, InputUnit } from "./types";

/** Decoding refuses images above this many pixels (sharp's own default is 268 M). */
const MAX_INPUT_PIXELS = 100_000_000;

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class ImagePages implements UnitSource {
  private page: number;

  private constructor(
    readonly info: InputInfo,
    private readonly file: string,
    from: number,
  ) {
    this.page = from;
  }

  static async open(file: string, format: InputFormat, opts: { from: number; maxPages: number }): Promise<ImagePages> {
    let pages: number;
    try {
      const meta = await sharp(file, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
      pages = format === "tiff" ? (meta.pages ?? 1) : 1;
      if (!meta.width || !meta.height) throw new Error("no image dimensions");
    } catch (e) {
      throw inputError("image_invalid", `the ${format.toUpperCase()} image cannot be read: ${messageOf(e)}`);
    }
    if (pages > opts.maxPages) throw inputError("too_many_pages", `the TIFF has ${pages} pages; the limit is ${opts.maxPages}`);
    return new ImagePages({ format, unit: "page", total: pages, units: pages }, file, opts.from);
  }

  async next(): Promise<InputUnit | null> {
    if (this.page >= this.info.total) return null;
    const index = this.page++;
    try {
      const { data, info } = await sharp(this.file, { page: index, pages: 1, limitInputPixels: MAX_INPUT_PIXELS })
        .rotate() // EXIF orientation: phone photos of documents are often stored sideways
        .resize({ width: MAX_PAGE_SIDE, height: MAX_PAGE_SIDE, fit: "inside", withoutEnlargement: true })
        .flatten({ background: "#ffffff" })
        .png()
        .toBuffer({ resolveWithObject: true });
      return { kind: "page", index, png: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
    } catch (e) {
      const where = this.info.total > 1 ? `page ${index + 1} of the ${this.info.format.toUpperCase()}` : `the ${this.info.format.toUpperCase()} image`;
      throw inputError("image_invalid", `${where} cannot be decoded: ${messageOf(e)}`);
    }
  }

  async close(): Promise<void> {}
}
