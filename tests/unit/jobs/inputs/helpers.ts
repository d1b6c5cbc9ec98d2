import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { openInput, type InputReader, type InputUnit } from "@/lib/jobs/inputs";

export const FIXTURES = path.join(import.meta.dirname, "../../../fixtures/jobs");

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "pareto-inputs-"));
}

/** Every remaining unit of a reader, then closes it. */
export async function readAll(reader: InputReader): Promise<InputUnit[]> {
  const units: InputUnit[] = [];
  try {
    for (let u = await reader.next(); u; u = await reader.next()) units.push(u);
  } finally {
    await reader.close();
  }
  return units;
}

export async function openAll(file: string, opts: { from?: number; dpi?: number; maxPages?: number } = {}) {
  const reader = await openInput(file, { maxPages: 100, ...opts });
  const info = reader.info;
  return { info, units: await readAll(reader) };
}

/** The code and message of a rejection (InputError or RuntimeError). */
export async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    return { code: typeof code === "string" ? code : "?", message: e instanceof Error ? e.message : String(e) };
  }
  throw new Error("expected a rejection");
}

/** A Letter-size PDF, one large Helvetica word per page, at a height that differs per page (so order shows). */
export async function makePdf(pages: number, size: [number, number] = [612, 792]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica); // not embedded: pdf.js needs its standard fonts
  for (let i = 0; i < pages; i++) {
    const p = doc.addPage(size);
    p.drawText(`PAGE ${i + 1}`, { x: 72, y: textBaseline(i), size: 60, font });
  }
  return doc.save();
}

/** Baseline (points from the bottom) of page i's word: 650, 450, 250, 650, … */
export function textBaseline(i: number): number {
  return 650 - (i % 3) * 200;
}

export type WavEncoding = "pcm8" | "pcm16" | "pcm24" | "pcm32" | "float32" | "float64";

/** A WAV file of interleaved `channels` from per-channel samples; `extensible` writes WAVE_FORMAT_EXTENSIBLE. */
export function wavBytes(chans: Float32Array[], rate: number, enc: WavEncoding = "pcm16", opts: { extensible?: boolean; listChunk?: number } = {}): Buffer {
  const bps = { pcm8: 1, pcm16: 2, pcm24: 3, pcm32: 4, float32: 4, float64: 8 }[enc];
  const float = enc.startsWith("float");
  const n = chans[0].length;
  const ch = chans.length;
  const data = Buffer.alloc(n * ch * bps);
  let at = 0;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < ch; c++, at += bps) {
      const v = Math.max(-1, Math.min(1, chans[c][i]));
      if (enc === "pcm8") data.writeUInt8(Math.max(0, Math.min(255, Math.round(v * 128 + 128))), at);
      else if (enc === "pcm16") data.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(v * 32768))), at);
      else if (enc === "pcm24") data.writeIntLE(Math.max(-8388608, Math.min(8388607, Math.round(v * 8388608))), at, 3);
      else if (enc === "pcm32") data.writeInt32LE(Math.max(-2147483648, Math.min(2147483647, Math.round(v * 2147483648))), at);
      else if (enc === "float32") data.writeFloatLE(chans[c][i], at);
      else data.writeDoubleLE(chans[c][i], at);
    }
  }
  const fmtSize = opts.extensible ? 40 : 16;
  const fmt = Buffer.alloc(8 + fmtSize);
  fmt.write("fmt ", 0);
  fmt.writeUInt32LE(fmtSize, 4);
  fmt.writeUInt16LE(opts.extensible ? 0xfffe : float ? 3 : 1, 8);
  fmt.writeUInt16LE(ch, 10);
  fmt.writeUInt32LE(rate, 12);
  fmt.writeUInt32LE(rate * ch * bps, 16);
  fmt.writeUInt16LE(ch * bps, 20);
  fmt.writeUInt16LE(bps * 8, 22);
  if (opts.extensible) {
    fmt.writeUInt16LE(22, 24);
    fmt.writeUInt16LE(bps * 8, 26);
    fmt.writeUInt32LE(0, 28);
    fmt.writeUInt16LE(float ? 3 : 1, 32);
    Buffer.from([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71]).copy(fmt, 34);
  }
  const list = opts.listChunk ? Buffer.concat([Buffer.from("LIST"), u32(opts.listChunk), Buffer.alloc(opts.listChunk + (opts.listChunk & 1))]) : Buffer.alloc(0);
  const head = Buffer.concat([Buffer.from("RIFF"), u32(4 + fmt.length + list.length + 8 + data.length), Buffer.from("WAVE"), fmt, list, Buffer.from("data"), u32(data.length)]);
  return Buffer.concat([head, data]);
}

function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
}

/** Speech-like test signal: a few harmonics with a syllable-rate envelope and a little noise, seeded. */
export function speechLike(n: number, rate: number, seed = 1): Float32Array {
  const x = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const t = i / rate;
    const env = Math.max(0, Math.sin(2 * Math.PI * 3 * t));
    x[i] = 0.3 * env * (Math.sin(2 * Math.PI * 180 * t) + 0.5 * Math.sin(2 * Math.PI * 360 * t) + 0.25 * Math.sin(2 * Math.PI * 1100 * t)) + 0.01 * ((s >>> 0) / 4294967296 - 0.5);
  }
  return x;
}

export function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Bit-level equality (toEqual treats -0 and 0 alike). */
export function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return false;
  return true;
}
