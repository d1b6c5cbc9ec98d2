/** Test images rendered from SVG text with sharp: no fixtures on disk, fonts from the system (DejaVu, Noto CJK). */
import { crc32, deflateSync } from "node:zlib";
import sharp from "sharp";

export const LATIN_FONT = "DejaVu Sans";
export const CJK_FONT = "Noto Sans CJK SC";

export interface TextImageOptions {
  fontSize?: number;
  font?: string;
  width?: number;
  /** Vertical distance between baselines, in font sizes. */
  lineHeight?: number;
  background?: string;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** An SVG with one `<text>` per line, left-aligned, black on white. */
export function textSvg(lines: readonly string[], opts: TextImageOptions = {}): Buffer {
  const size = opts.fontSize ?? 32;
  const lh = size * (opts.lineHeight ?? 1.8);
  const width = opts.width ?? 900;
  const height = Math.ceil(lines.length * lh + size);
  const texts = lines
    .map(
      (l, i) =>
        `<text x="${size}" y="${Math.round(size * 1.3 + i * lh)}" font-family="${opts.font ?? LATIN_FONT}" font-size="${size}">${escapeXml(l)}</text>`,
    )
    .join("");
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<rect width="100%" height="100%" fill="${opts.background ?? "#ffffff"}"/>${texts}</svg>`,
  );
}

export function renderPng(lines: readonly string[], opts: TextImageOptions = {}): Promise<Buffer> {
  return sharp(textSvg(lines, opts)).png().toBuffer();
}

/** A PNG chunk with a correct CRC, for hand-built headers. */
function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}

/**
 * A ~100-byte "pixel bomb": a valid PNG signature and IHDR declaring `width`×`height` 8-bit greyscale, with a tiny
 * IDAT that could never fill it. Decoding it would allocate width×height bytes; it must be refused from the header.
 */
export function pngBomb(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", deflateSync(Buffer.alloc(width + 1))),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}
