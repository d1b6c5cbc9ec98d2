/**
 * Streaming WAV: the header is walked with positioned reads (chunks before `data` may be any size), then the
 * samples are read 1 MiB at a time and converted with the same formulas as lib/models/vad/wav.ts, so a job sees
 * the synchronous API's samples without holding the recording. Accepts what the synchronous path accepts: PCM
 * 8/16/24/32-bit, float 32/64, WAVE_FORMAT_EXTENSIBLE with a standard sub-format.
 *
 * Unlike the synchronous path, a file cut short mid-frame (a recorder that crashed) is read up to its last whole
 * frame rather than refused: a two-hour recording is worth its first 119 minutes.
 */
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from "@/lib/models/vad/wav-header";
import { inputError } from "../errors";
import type { FileSlices } from "../file-slices";
import type { PcmSource } from "./pcm";

const BLOCK_BYTES = 1 << 20;
const MAX_CHUNKS = 10_000;
const UNKNOWN_SIZE = 0xffffffff;
const KS_GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

type Reader = (dv: DataView, at: number) => number;
/** The same conversions as lib/models/vad/wav.ts (keep them in step). */
const readers: Record<string, Reader> = {
  pcm1: (dv, at) => (dv.getUint8(at) - 128) / 128,
  pcm2: (dv, at) => dv.getInt16(at, true) / 32768,
  pcm3: (dv, at) => (dv.getUint8(at) | (dv.getUint8(at + 1) << 8) | (dv.getInt8(at + 2) << 16)) / 8388608,
  pcm4: (dv, at) => dv.getInt32(at, true) / 2147483648,
  float4: (dv, at) => dv.getFloat32(at, true),
  float8: (dv, at) => dv.getFloat64(at, true),
};

interface Fmt {
  key: string;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bytesPerSample: number;
}

function fourcc(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);
}

function parseFmt(b: Uint8Array): Fmt {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length < 16) throw inputError("audio_invalid", `WAV fmt chunk is ${b.length} bytes, expected at least 16`);
  let tag = dv.getUint16(0, true);
  const channels = dv.getUint16(2, true);
  const sampleRate = dv.getUint32(4, true);
  const blockAlign = dv.getUint16(12, true);
  const bits = dv.getUint16(14, true);
  if (tag === 0xfffe) {
    if (b.length < 40) throw inputError("audio_invalid", "WAVE_FORMAT_EXTENSIBLE fmt chunk is too short");
    if (KS_GUID_TAIL.some((v, i) => b[26 + i] !== v)) {
      throw inputError("unsupported_media_type", "WAVE_FORMAT_EXTENSIBLE with a non-standard sub-format is not supported");
    }
    tag = dv.getUint16(24, true);
  }
  const encoding = tag === 1 ? "pcm" : tag === 3 ? "float" : null;
  if (!encoding) {
    throw inputError("unsupported_media_type", `WAV format code 0x${tag.toString(16).padStart(4, "0")} is not supported; send PCM or IEEE float WAV, FLAC, MP3, Ogg/Opus or M4A`);
  }
  if (channels === 0) throw inputError("audio_invalid", "WAV fmt chunk declares 0 channels");
  const bytesPerSample = Math.ceil(bits / 8);
  const key = `${encoding}${bytesPerSample}`;
  if (!readers[key] || (encoding === "pcm" && (bits === 0 || bits > 32))) {
    throw inputError("unsupported_media_type", `${bits}-bit ${encoding === "pcm" ? "PCM" : "float"} WAV is not supported`);
  }
  if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) {
    throw inputError("unsupported_media_type", `WAV sample rate ${sampleRate} Hz is outside ${MIN_SAMPLE_RATE}..${MAX_SAMPLE_RATE} Hz`);
  }
  if (blockAlign !== channels * bytesPerSample) {
    throw inputError("audio_invalid", `WAV block align ${blockAlign} does not match ${channels} channel(s) of ${bytesPerSample} byte(s)`);
  }
  return { key, channels, sampleRate, blockAlign, bytesPerSample };
}

export class WavSource implements PcmSource {
  readonly sampleRate: number;
  readonly channels: number;
  readonly seconds: number;
  readonly exact = true;
  /** whole frames in the file */
  readonly frames: number;
  private pos: number;
  private readonly end: number;
  private readonly read1: Reader;

  private constructor(
    private readonly file: FileSlices,
    private readonly fmt: Fmt,
    dataOffset: number,
    frames: number,
  ) {
    this.sampleRate = fmt.sampleRate;
    this.channels = fmt.channels;
    this.frames = frames;
    this.seconds = frames / fmt.sampleRate;
    this.pos = dataOffset;
    this.end = dataOffset + frames * fmt.blockAlign;
    this.read1 = readers[fmt.key];
  }

  static async open(file: FileSlices): Promise<WavSource> {
    const head = await file.read(0, 12);
    if (head.length < 12 || fourcc(head, 0) !== "RIFF" || fourcc(head, 8) !== "WAVE") {
      throw inputError("audio_invalid", "truncated or invalid WAV header");
    }
    let fmt: Fmt | undefined;
    let pos = 12;
    // Real files have a handful of chunks before `data`; a hostile one could hold millions of empty ones.
    for (let chunks = 0; chunks < MAX_CHUNKS; chunks++) {
      const h = await file.read(pos, 8);
      if (h.length < 8) break;
      const id = fourcc(h, 0);
      const size = new DataView(h.buffer, h.byteOffset, 8).getUint32(4, true);
      const body = pos + 8;
      if (id === "fmt ") {
        if (size > 4096 || body + size > file.size) throw inputError("audio_invalid", "WAV fmt chunk is truncated or implausibly large");
        fmt = parseFmt(await file.read(body, size));
      } else if (id === "data") {
        if (!fmt) throw inputError("audio_invalid", "WAV data chunk comes before its fmt chunk");
        if (size === 0) throw inputError("empty_input", "the WAV data chunk is empty");
        const available = size === UNKNOWN_SIZE ? file.size - body : Math.min(size, file.size - body);
        const frames = Math.floor(available / fmt.blockAlign);
        if (frames === 0) throw inputError("empty_input", "the WAV data chunk holds no samples");
        return new WavSource(file, fmt, body, frames);
      }
      pos = body + size + (size & 1);
    }
    throw inputError("audio_invalid", fmt ? "WAV has no data chunk" : "WAV has no fmt chunk");
  }

  seek(frame: number): void {
    const dataOffset = this.end - this.frames * this.fmt.blockAlign;
    this.pos = dataOffset + Math.min(Math.max(0, frame), this.frames) * this.fmt.blockAlign;
  }

  async read(): Promise<Float32Array | null> {
    if (this.pos >= this.end) return null;
    const { blockAlign, channels, bytesPerSample } = this.fmt;
    const want = Math.min(this.end - this.pos, Math.floor(BLOCK_BYTES / blockAlign) * blockAlign);
    const bytes = await this.file.read(this.pos, want);
    const frames = Math.floor(bytes.length / blockAlign);
    if (frames === 0) return null;
    const start = this.pos;
    this.pos += frames * blockAlign;
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const read = this.read1;
    const out = new Float32Array(frames);
    if (channels === 1) {
      for (let i = 0, at = 0; i < frames; i++, at += blockAlign) out[i] = read(dv, at);
    } else {
      const inv = 1 / channels;
      for (let i = 0, at = 0; i < frames; i++, at += blockAlign) {
        let sum = 0;
        for (let c = 0, a = at; c < channels; c++, a += bytesPerSample) sum += read(dv, a);
        out[i] = sum * inv;
      }
    }
    if (this.fmt.key.startsWith("float")) {
      for (let i = 0; i < frames; i++) {
        const v = out[i];
        if (v - v !== 0) {
          const s = ((start - (this.end - this.frames * blockAlign)) / blockAlign + i) / this.sampleRate;
          throw inputError("audio_invalid", `WAV sample at ${s.toFixed(3)} s is NaN or infinite`);
        }
      }
    }
    return out;
  }

  async close(): Promise<void> {
    await this.file.close();
  }
}
