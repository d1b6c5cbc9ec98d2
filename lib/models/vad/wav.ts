/**
 * WAV → mono Float32 at the file's own sample rate. The header is validated first (`wav-header.ts`), so by the
 * time samples are converted the size is known to be within the duration cap.
 */
import { InputError } from "@/lib/models/tensor";
import { parseWavHeader, type WavInfo } from "@/lib/models/vad/wav-header";

export { parseWavHeader, MIN_SAMPLE_RATE, MAX_SAMPLE_RATE, type WavInfo } from "@/lib/models/vad/wav-header";

export interface DecodedAudio {
  /** mono samples in [-1, 1) (float files may exceed it), channels averaged */
  samples: Float32Array;
  sampleRate: number;
  channels: number;
  durationS: number;
}

/** Reads one sample at byte offset `at` as a float in [-1, 1); one reader per encoding and container size. */
type Reader = (dv: DataView, at: number) => number;

const readers: Record<string, Reader> = {
  // 8-bit WAV is the one unsigned format: 128 is silence.
  "pcm1": (dv, at) => (dv.getUint8(at) - 128) / 128,
  "pcm2": (dv, at) => dv.getInt16(at, true) / 32768,
  "pcm3": (dv, at) => ((dv.getUint8(at) | (dv.getUint8(at + 1) << 8) | (dv.getInt8(at + 2) << 16)) / 8388608),
  "pcm4": (dv, at) => dv.getInt32(at, true) / 2147483648,
  "float4": (dv, at) => dv.getFloat32(at, true),
  "float8": (dv, at) => dv.getFloat64(at, true),
};

function convert(dv: DataView, info: WavInfo, read: Reader, checkFinite: boolean): Float32Array {
  const { frames, channels, bytesPerSample, blockAlign, dataOffset } = info;
  const out = new Float32Array(frames);
  if (channels === 1) {
    // The common case gets its own loop: no inner channel loop, no division.
    for (let i = 0, at = dataOffset; i < frames; i++, at += blockAlign) out[i] = read(dv, at);
  } else {
    const inv = 1 / channels;
    for (let i = 0, at = dataOffset; i < frames; i++, at += blockAlign) {
      let sum = 0;
      for (let c = 0, a = at; c < channels; c++, a += bytesPerSample) sum += read(dv, a);
      out[i] = sum * inv;
    }
  }
  // Checked once after conversion (a NaN in any channel survives the average) rather than per sample in the hot
  // loop. A float64 value beyond float32 range also becomes Infinity here and is refused.
  if (checkFinite) {
    for (let i = 0; i < frames; i++) {
      const v = out[i];
      if (v - v !== 0) {
        throw new InputError("invalid_samples", `sample ${i} (${(i / info.sampleRate).toFixed(3)} s) is NaN or infinite`);
      }
    }
  }
  return out;
}

export interface DecodeOptions {
  /** refuse longer audio (default 600 s) */
  maxSeconds?: number;
}

export function decodeWav(buf: Uint8Array, options: DecodeOptions = {}): DecodedAudio {
  const info = parseWavHeader(buf, options.maxSeconds ?? 600);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const key = `${info.encoding}${info.bytesPerSample}`;
  const read = readers[key];
  if (!read) throw new InputError("unsupported_encoding", `unsupported sample format ${key}`);
  const samples = convert(dv, info, read, info.encoding === "float");
  return { samples, sampleRate: info.sampleRate, channels: info.channels, durationS: info.durationS };
}
