/** Hostile inputs for the security suite: bombs, lying headers, odd encodings, slow and raw HTTP clients. */
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import zlib from "node:zlib";
import sharp from "sharp";
import { ROOT } from "./server";

const PNG_SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(td));
  return Buffer.concat([len, td, crc]);
}

/**
 * A complete, valid 8-bit greyscale PNG of zeros: a real zlib stream, so 10000×10000 is ~100 KB on the wire and
 * 100 MB (300 MB as RGB) once inflated — a decompression bomb.
 */
export function blankPng(width: number, height: number): Buffer {
  const idat = zlib.deflateSync(Buffer.alloc(height * (width + 1)), { level: 9 });
  return Buffer.concat([PNG_SIGNATURE, ihdrChunk(width, height, 0), pngChunk("IDAT", idat), pngChunk("IEND", Buffer.alloc(0))]);
}

/** An 8-bit IHDR chunk; colour type 0 is greyscale, 2 is RGB. */
function ihdrChunk(width: number, height: number, colorType: 0 | 2): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = colorType;
  return pngChunk("IHDR", ihdr);
}

export const evalImage = (name: string) => fs.readFileSync(path.join(ROOT, "tests/eval-data/ocr", name));

/** A real JPEG whose frame header (SOF0/SOF2) now declares `w`×`h`. */
export function jpegDeclaring(w: number, h: number): Buffer {
  const j = Buffer.from(evalImage("jpeg-01.jpg"));
  for (let i = 0; i < j.length - 9; i++) {
    if (j[i] === 0xff && (j[i + 1] === 0xc0 || j[i + 1] === 0xc2)) {
      j.writeUInt16BE(h, i + 5);
      j.writeUInt16BE(w, i + 7);
      return j;
    }
  }
  throw new Error("no SOF marker");
}

/** A tiny lossless WebP whose VP8L header now declares the format's maximum, 16383×16383 (268 Mpx). */
export async function webpDeclaringMax(): Promise<Buffer> {
  const b = Buffer.from(await sharp({ create: { width: 2, height: 2, channels: 3, background: "#fff" } }).webp({ lossless: true }).toBuffer());
  const at = b.indexOf("VP8L") + 8; // chunk id + size, then the 0x2f signature byte
  if (b[at] !== 0x2f) throw new Error("unexpected VP8L layout");
  const bits = b.readUInt32LE(at + 1);
  b.writeUInt32LE(((bits & ~0x0fffffff) | 16382 | (16382 << 14)) >>> 0, at + 1);
  return b;
}

/** The same two frames as an animated GIF and an animated WebP. */
export async function animated(frame: Buffer): Promise<{ gif: Buffer; webp: Buffer }> {
  const a = await sharp(frame).resize(400).png().toBuffer();
  const b = await sharp(frame).resize(400).negate().png().toBuffer();
  return {
    gif: await sharp([a, b], { join: { animated: true } }).gif().toBuffer(),
    webp: await sharp([a, b], { join: { animated: true } }).webp().toBuffer(),
  };
}

export interface WavSpec {
  /** 1 PCM, 3 IEEE float, 0xfffe extensible */
  format?: number;
  channels?: number;
  rate?: number;
  bits?: number;
  /** defaults to channels × bytes per sample */
  blockAlign?: number;
  /** raw sample bytes */
  data: Buffer;
  /** what the data chunk's size field claims (defaults to the truth) */
  dataSize?: number;
  /** what the RIFF size field claims */
  riffSize?: number;
  /** what the fmt chunk's size field claims (16 bytes are written whatever it says) */
  fmtSize?: number;
}

export function wav(s: WavSpec): Buffer {
  const channels = s.channels ?? 1;
  const rate = s.rate ?? 16000;
  const bits = s.bits ?? 16;
  const blockAlign = s.blockAlign ?? channels * Math.ceil(bits / 8);
  const b = Buffer.alloc(44);
  b.write("RIFF", 0);
  b.writeUInt32LE(s.riffSize ?? 36 + s.data.length, 4);
  b.write("WAVE", 8);
  b.write("fmt ", 12);
  b.writeUInt32LE(s.fmtSize ?? 16, 16);
  b.writeUInt16LE(s.format ?? 1, 20);
  b.writeUInt16LE(channels, 22);
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * blockAlign, 28);
  b.writeUInt16LE(blockAlign, 32);
  b.writeUInt16LE(bits, 34);
  b.write("data", 36);
  b.writeUInt32LE(s.dataSize ?? s.data.length, 40);
  return Buffer.concat([b, s.data]);
}

/** `seconds` of a quiet tone at 16 kHz in the given sample encoding. */
export function tone(encoding: "u8" | "s16" | "s24" | "f32", seconds = 0.3, poison?: number): Buffer {
  const n = Math.round(seconds * 16000);
  const size = { u8: 1, s16: 2, s24: 3, f32: 4 }[encoding];
  const out = Buffer.alloc(n * size);
  for (let i = 0; i < n; i++) {
    const v = Math.sin(i / 10) * 0.01;
    if (encoding === "u8") out[i] = 128 + Math.round(v * 127);
    else if (encoding === "s16") out.writeInt16LE(Math.round(v * 32767), i * 2);
    else if (encoding === "s24") out.writeIntLE(Math.round(v * 8388607), i * 3, 3);
    else out.writeFloatLE(poison !== undefined && i === Math.floor(n / 2) ? poison : v, i * 4);
  }
  return out;
}

/** `{"image": <depth>×[ … ]×<depth>}`-style nesting without recursion in the test itself. */
export function nestedArray(depth: number): string {
  return "[".repeat(depth) + "]".repeat(depth);
}

export function nestedObject(depth: number, key = "a"): string {
  return `{"${key}":`.repeat(depth) + "1" + "}".repeat(depth);
}

/** A body sent with chunked transfer encoding (no Content-Length), `total` bytes of `head` + filler + `tail`. */
export function chunkedBody(head: string, fill: string, total: number, tail: string): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  const block = enc.encode(fill.repeat(Math.ceil((1 << 20) / fill.length)).slice(0, 1 << 20));
  let sent = 0;
  let stage = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (stage === 0) {
        stage = 1;
        sent += head.length;
        return c.enqueue(enc.encode(head));
      }
      if (sent < total) {
        sent += block.length;
        return c.enqueue(block);
      }
      c.enqueue(enc.encode(tail));
      c.close();
    },
  });
}

/** A raw HTTP/1.1 exchange (for headers fetch refuses to send); resolves with the response head. */
export function rawHttp(port: number, head: string): Promise<{ statusLine: string; headers: string[] }> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: "127.0.0.1", port });
    let buf = "";
    const timer = setTimeout(() => s.destroy(new Error("raw HTTP: no response in 30 s")), 30_000);
    s.on("data", (d: Buffer) => {
      buf += d.toString("latin1");
      const end = buf.indexOf("\r\n\r\n");
      if (end >= 0) {
        clearTimeout(timer);
        s.destroy();
        const [statusLine, ...headers] = buf.slice(0, end).split("\r\n");
        resolve({ statusLine, headers });
      }
    });
    s.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    s.on("close", () => {
      clearTimeout(timer);
      if (!buf.includes("\r\n\r\n")) reject(new Error(`raw HTTP: connection closed after ${JSON.stringify(buf.slice(0, 200))}`));
    });
    s.write(head);
  });
}

/**
 * A client that sends the start of a request body and then trickles one byte every `everyMs`, for at most
 * `maxMs`; resolves with the response whenever the server answers (possibly mid-upload).
 */
export function slowUpload(url: string, headers: Record<string, string>, start: Buffer, everyMs: number, maxMs: number): Promise<{ status: number; body: string; sentBytes: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", headers });
    let sent = start.length;
    let timer: NodeJS.Timeout | undefined;
    const stopAt = Date.now() + maxMs;
    req.on("response", (res) => {
      clearTimeout(timer);
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, body, sentBytes: sent });
        req.destroy();
      });
    });
    req.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.write(start);
    const tick = () => {
      if (Date.now() > stopAt) return req.end(); // gave up trickling: finish the request
      req.write("x");
      sent++;
      timer = setTimeout(tick, everyMs);
    };
    timer = setTimeout(tick, everyMs);
  });
}

/** A PNG that is only a header declaring `w`×`h` (and a scrap of image data): refused before any decoding. */
export function pngDeclaring(w: number, h: number): Buffer {
  return Buffer.concat([PNG_SIGNATURE, ihdrChunk(w, h, 2), pngChunk("IDAT", zlib.deflateSync(Buffer.alloc(1000))), pngChunk("IEND", Buffer.alloc(0))]);
}
