/**
 * Text rendering helpers for the eval generators: SVG -> sharp (librsvg + fontconfig).
 * Every line is measured first (rendered alone and trimmed), so layouts are computed from the real
 * ink box and the text is guaranteed to fit inside the canvas.
 */
import sharp from "sharp";

export const FONT_SANS = "DejaVu Sans";
export const FONT_SERIF = "DejaVu Serif";
export const FONT_MONO = "DejaVu Sans Mono";
export const FONT_CJK_SANS = "Noto Sans CJK SC";
export const FONT_CJK_SERIF = "Noto Serif CJK SC";

export interface TextStyle {
  family: string;
  size: number;
  weight?: "normal" | "bold";
  fill?: string;
  /** extra letter spacing in px (SVG letter-spacing) */
  letterSpacing?: number;
}

/** Ink box of a line relative to the text anchor (x, baseline). */
export interface Ink {
  left: number;
  top: number;
  width: number;
  height: number;
}

export function escapeXml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

function fontAttrs(style: TextStyle): string {
  const parts = [
    `font-family="${escapeXml(`'${style.family}'`)}"`,
    `font-size="${style.size}"`,
    `font-weight="${style.weight ?? "normal"}"`,
  ];
  if (style.letterSpacing) parts.push(`letter-spacing="${style.letterSpacing}"`);
  return parts.join(" ");
}

/** An SVG <text> element with the anchor at (x, baseline). */
export function textElement(text: string, x: number, baseline: number, style: TextStyle, extra = ""): string {
  return `<text x="${x}" y="${baseline}" ${fontAttrs(style)} fill="${style.fill ?? "#000"}" ${extra}>${escapeXml(text)}</text>`;
}

const inkCache = new Map<string, Ink>();

function isWide(cp: number): boolean {
  return cp >= 0x2e80;
}

/** Measure the ink box of one line of text (cached). */
export async function measureInk(text: string, style: TextStyle): Promise<Ink> {
  const key = JSON.stringify([text, style.family, style.size, style.weight ?? "normal", style.letterSpacing ?? 0]);
  const hit = inkCache.get(key);
  if (hit) return hit;
  let est = 0;
  for (const ch of text) est += isWide(ch.codePointAt(0)!) ? 1.2 : 0.8;
  est = est * style.size + (style.letterSpacing ?? 0) * text.length;
  const pad = Math.ceil(style.size);
  for (let scale = 1.5; scale < 20; scale *= 2) {
    const w = Math.ceil(est * scale + 2 * pad);
    const h = Math.ceil(style.size * 3 + 2 * pad);
    const baseline = pad + Math.ceil(style.size * 1.5);
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">` +
      `<rect width="${w}" height="${h}" fill="#fff"/>` +
      textElement(text, pad, baseline, { ...style, fill: "#000" }) +
      `</svg>`;
    const { info } = await sharp(Buffer.from(svg))
      .trim({ background: "#ffffff", threshold: 8 })
      .toBuffer({ resolveWithObject: true });
    const offL = -(info.trimOffsetLeft ?? 0);
    const offT = -(info.trimOffsetTop ?? 0);
    // ink must not touch the measuring canvas edges, otherwise it was clipped: retry bigger
    if (offL > 0 && offT > 0 && offL + info.width < w && offT + info.height < h) {
      const ink: Ink = { left: offL - pad, top: offT - baseline, width: info.width, height: info.height };
      inkCache.set(key, ink);
      return ink;
    }
  }
  throw new Error(`could not measure text: ${text}`);
}

export interface BlockOptions {
  lines: string[];
  style: TextStyle;
  align?: "left" | "center" | "right";
  /** baseline-to-baseline distance as a multiple of the font size */
  lineHeight?: number;
  /** minimum free space between ink and canvas edge */
  margin: number;
  minWidth?: number;
  minHeight?: number;
  /** where to put the block inside the free space, 0..1 (0.5 = centred) */
  posX?: number;
  posY?: number;
}

export interface BlockLayout {
  width: number;
  height: number;
  /** SVG <text> elements */
  elements: string;
  /** ink boxes of each line in canvas coordinates */
  boxes: { x: number; y: number; width: number; height: number }[];
}

export async function layoutBlock(o: BlockOptions): Promise<BlockLayout> {
  const inks = await Promise.all(o.lines.map((l) => measureInk(l, o.style)));
  const pitch = o.style.size * (o.lineHeight ?? 1.6);
  const baselines = o.lines.map((_, i) => Math.round(i * pitch));
  let top = Infinity;
  let bottom = -Infinity;
  inks.forEach((ink, i) => {
    top = Math.min(top, baselines[i] + ink.top);
    bottom = Math.max(bottom, baselines[i] + ink.top + ink.height);
  });
  const blockW = Math.max(...inks.map((i) => i.width));
  const blockH = bottom - top;
  const width = Math.max(o.minWidth ?? 0, Math.ceil(blockW + 2 * o.margin));
  const height = Math.max(o.minHeight ?? 0, Math.ceil(blockH + 2 * o.margin));
  const bx = o.margin + Math.floor((width - 2 * o.margin - blockW) * (o.posX ?? 0.5));
  const by = o.margin + Math.floor((height - 2 * o.margin - blockH) * (o.posY ?? 0.5));
  const boxes: BlockLayout["boxes"] = [];
  const elements = o.lines
    .map((line, i) => {
      const ink = inks[i];
      const align = o.align ?? "left";
      const inkX =
        align === "left" ? bx : align === "center" ? bx + Math.round((blockW - ink.width) / 2) : bx + blockW - ink.width;
      const x = inkX - ink.left;
      const baseline = by - top + baselines[i];
      boxes.push({ x: inkX, y: baseline + ink.top, width: ink.width, height: ink.height });
      return textElement(line, x, baseline, o.style);
    })
    .join("");
  return { width, height, elements, boxes };
}

/** Fail loudly if any ink reaches closer than `minGap` px to an edge of the rendered image. */
export async function assertInkInside(img: Buffer, background: string, minGap: number, what: string): Promise<void> {
  const meta = await sharp(img).metadata();
  const { info } = await sharp(img).trim({ background, threshold: 8 }).toBuffer({ resolveWithObject: true });
  const l = -(info.trimOffsetLeft ?? 0);
  const t = -(info.trimOffsetTop ?? 0);
  const r = meta.width! - (l + info.width);
  const b = meta.height! - (t + info.height);
  if (Math.min(l, t, r, b) < minGap) {
    throw new Error(`${what}: ink too close to the edge (l=${l} t=${t} r=${r} b=${b})`);
  }
}
