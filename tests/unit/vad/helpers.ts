/**
 * Test audio for the VAD suite: a clip with speech at known positions, an independent WAV encoder, and an
 * independent (slow, direct-evaluation) resampler, so the parser and resampler are not checked against themselves.
 */
import fs from "node:fs";
import path from "node:path";
import { decodeWav } from "@/lib/models/vad/wav";

const FIXTURES = path.join(import.meta.dirname, "fixtures");
export const RATE = 16000;

/** 16 kHz mono fixture, trimmed by sox at -50 dBFS so the file is speech from its first sample to its last. */
export function fixture(name: string): Float32Array {
  return decodeWav(fs.readFileSync(path.join(FIXTURES, name))).samples;
}

export interface Interval {
  start: number;
  end: number;
}

/**
 * 1 s silence + utterance A + 1.5 s silence + utterance B + 1 s silence, over a -66 dBFS deterministic noise
 * floor (digital silence is unrealistically easy). The true speech intervals follow by construction.
 */
export function buildClip(): { samples: Float32Array; truth: Interval[] } {
  const a = fixture("fox.wav");
  const b = fixture("recordings.wav");
  const gaps = [1.0, 1.5, 1.0].map((s) => Math.round(s * RATE));
  const total = gaps[0] + a.length + gaps[1] + b.length + gaps[2];
  const samples = new Float32Array(total);
  let seed = 12345;
  for (let i = 0; i < total; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    samples[i] = (seed / 0xffffffff - 0.5) * 0.001;
  }
  const aStart = gaps[0];
  const bStart = aStart + a.length + gaps[1];
  for (let i = 0; i < a.length; i++) samples[aStart + i] += a[i];
  for (let i = 0; i < b.length; i++) samples[bStart + i] += b[i];
  return {
    samples,
    truth: [
      { start: aStart / RATE, end: (aStart + a.length) / RATE },
      { start: bStart / RATE, end: (bStart + b.length) / RATE },
    ],
  };
}

export type WavSampleFormat = "u8" | "s16" | "s24" | "s32" | "f32" | "f64";

export interface EncodeOptions {
  rate: number;
  format: WavSampleFormat;
  channels?: number;
  /** write WAVE_FORMAT_EXTENSIBLE instead of the plain tag */
  extensible?: boolean;
  /** unknown chunks to put between fmt and data (odd sizes exercise the pad byte) */
  extraChunks?: { id: string; size: number }[];
}

const BYTES: Record<WavSampleFormat, number> = { u8: 1, s16: 2, s24: 3, s32: 4, f32: 4, f64: 8 };

function chunk(id: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(id, 0, "latin1");
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body, Buffer.alloc(body.length & 1)]);
}

/** Encodes mono samples as a WAV, duplicating them into every channel (stereo copies are scaled 0.5 / 1.5 L/R). */
export function encodeWav(mono: Float32Array, o: EncodeOptions): Buffer {
  const ch = o.channels ?? 1;
  const bps = BYTES[o.format];
  const isFloat = o.format === "f32" || o.format === "f64";
  const data = Buffer.alloc(mono.length * ch * bps);
  for (let i = 0; i < mono.length; i++) {
    for (let c = 0; c < ch; c++) {
      // Unequal channels check that mixing averages rather than picks a channel: the mean is still `mono`.
      const gain = ch === 2 ? (c === 0 ? 0.5 : 1.5) : 1;
      const v = mono[i] * gain;
      const at = (i * ch + c) * bps;
      const clip = Math.max(-1, Math.min(1 - 1e-9, v));
      switch (o.format) {
        case "u8": data.writeUInt8(Math.round(clip * 127) + 128, at); break;
        case "s16": data.writeInt16LE(Math.round(clip * 32767), at); break;
        case "s24": data.writeIntLE(Math.round(clip * 8388607), at, 3); break;
        case "s32": data.writeInt32LE(Math.round(clip * 2147483647), at); break;
        case "f32": data.writeFloatLE(v, at); break;
        case "f64": data.writeDoubleLE(v, at); break;
      }
    }
  }
  const tag = isFloat ? 3 : 1;
  let fmt: Buffer;
  if (o.extensible) {
    fmt = Buffer.alloc(40);
    fmt.writeUInt16LE(0xfffe, 0);
    fmt.writeUInt16LE(22, 16);
    fmt.writeUInt16LE(bps * 8, 18);
    fmt.writeUInt32LE(ch === 2 ? 3 : 4, 20);
    fmt.writeUInt16LE(tag, 24);
    Buffer.from([0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71]).copy(fmt, 26);
  } else {
    fmt = Buffer.alloc(16);
    fmt.writeUInt16LE(tag, 0);
  }
  fmt.writeUInt16LE(ch, 2);
  fmt.writeUInt32LE(o.rate, 4);
  fmt.writeUInt32LE(o.rate * ch * bps, 8);
  fmt.writeUInt16LE(ch * bps, 12);
  fmt.writeUInt16LE(bps * 8, 14);
  const extra = (o.extraChunks ?? []).map((c) => chunk(c.id, Buffer.alloc(c.size, 0x5a)));
  const body = Buffer.concat([Buffer.from("WAVE", "latin1"), chunk("fmt ", fmt), ...extra, chunk("data", data)]);
  const riff = Buffer.alloc(8);
  riff.write("RIFF", 0, "latin1");
  riff.writeUInt32LE(body.length, 4);
  return Buffer.concat([riff, body]);
}

/**
 * Reference resampler: direct evaluation of a Hann-windowed sinc at every output instant, in float64. Slow and
 * simple on purpose; it only has to be obviously correct.
 */
export function referenceResample(x: Float32Array, from: number, to: number): Float32Array {
  const cutoff = Math.min(1, to / from) * 0.9;
  const halfWidth = 16 / cutoff;
  const out = new Float32Array(Math.round((x.length * to) / from));
  for (let k = 0; k < out.length; k++) {
    const t = (k * from) / to;
    const lo = Math.max(0, Math.ceil(t - halfWidth));
    const hi = Math.min(x.length - 1, Math.floor(t + halfWidth));
    let acc = 0;
    for (let j = lo; j <= hi; j++) {
      const d = t - j;
      const arg = Math.PI * cutoff * d;
      const sinc = arg === 0 ? 1 : Math.sin(arg) / arg;
      const w = 0.5 + 0.5 * Math.cos((Math.PI * d) / halfWidth);
      acc += x[j] * cutoff * sinc * w;
    }
    out[k] = acc;
  }
  return out;
}

/** Largest distance between matching boundaries of two interval lists of the same length. */
export function maxBoundaryError(got: Interval[], want: Interval[]): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    worst = Math.max(worst, Math.abs(got[i].start - want[i].start), Math.abs(got[i].end - want[i].end));
  }
  return worst;
}
