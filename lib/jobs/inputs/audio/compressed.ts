/**
 * Compressed recordings (FLAC, MP3, Ogg/Opus) through their WebAssembly decoders, fed 64 KiB file slices: the
 * decoders keep their own state across slices, so memory is one slice plus one decoded block whatever the length.
 * A decoder's frame errors fail the job (audio_invalid) rather than leave silent holes in the transcript's timing.
 */
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from "@/lib/models/vad/wav-header";
import { inputError } from "../errors";
import type { FileSlices } from "../file-slices";
import { mixToMono, type PcmSource } from "./pcm";

/** 64 KiB: at speech bitrates (24-32 kbit/s) that is already 15-20 s of audio, ~3 MB decoded at 48 kHz. */
export const SLICE_BYTES = 64 * 1024;

export interface Decoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors?: { message: string }[];
}

export interface StreamDecoder {
  decode(bytes: Uint8Array): Decoded | Promise<Decoded>;
  /** Output held back for lack of input, at the end of the file. */
  flush?(): Decoded | Promise<Decoded>;
  free(): void;
}

/** How long the recording is, from its container once the first audio is decoded. */
export type Duration = (first: { sampleRate: number; samples: number; bytes: number }) => { seconds: number; exact: boolean };

export class CompressedSource implements PcmSource {
  sampleRate = 0;
  channels = 0;
  seconds = 0;
  exact = false;
  private pos: number;
  private flushed = false;
  private pending: Float32Array | null = null;
  /** Samples per channel decoded so far. */
  private decoded = 0;
  /** What the container says the decoder must produce (FLAC's STREAMINFO), to catch frames it skipped. */
  expectedSamples: number | null = null;

  private constructor(
    private readonly file: FileSlices,
    private readonly decoder: StreamDecoder,
    private readonly name: string,
    start: number,
  ) {
    this.pos = start;
  }

  /** Decodes up to the first audio, so the rate and channels are known before any unit is produced. */
  static async open(file: FileSlices, decoder: StreamDecoder, name: string, start: number, duration: Duration): Promise<CompressedSource> {
    const s = new CompressedSource(file, decoder, name, start);
    try {
      let d: Decoded | null;
      for (d = await s.step(); d && d.samplesDecoded === 0; d = await s.step());
      if (!d) {
        // Headers and nothing else is an empty recording; anything longer that yields nothing is not audio.
        if (s.pos - start <= 1024) throw inputError("empty_input", `the ${name} file holds no audio samples`);
        throw inputError("audio_invalid", `the ${name} file holds no decodable audio`);
      }
      if (d.sampleRate < MIN_SAMPLE_RATE || d.sampleRate > MAX_SAMPLE_RATE) {
        throw inputError("unsupported_media_type", `${name} sample rate ${d.sampleRate} Hz is outside ${MIN_SAMPLE_RATE}..${MAX_SAMPLE_RATE} Hz`);
      }
      s.sampleRate = d.sampleRate;
      s.channels = d.channelData.length;
      s.pending = mixToMono(d.channelData, d.samplesDecoded);
      const est = duration({ sampleRate: d.sampleRate, samples: d.samplesDecoded, bytes: s.pos - start });
      s.seconds = est.seconds;
      s.exact = est.exact;
      return s;
    } catch (e) {
      await s.close();
      throw e;
    }
  }

  /** Decodes the next slice (or flushes at the end); null when nothing is left. */
  private async step(): Promise<Decoded | null> {
    let d: Decoded;
    if (this.pos < this.file.size) {
      const bytes = await this.file.read(this.pos, SLICE_BYTES);
      this.pos += bytes.length;
      d = await this.call(() => this.decoder.decode(bytes));
    } else if (!this.flushed && this.decoder.flush) {
      this.flushed = true;
      d = await this.call(() => this.decoder.flush!());
    } else {
      return null;
    }
    this.decoded += d.samplesDecoded;
    if (d.errors && d.errors.length > 0) {
      throw inputError("audio_invalid", `the ${this.name} audio is corrupt near byte ${this.pos}: ${d.errors[0].message}`);
    }
    return d;
  }

  private async call(f: () => Decoded | Promise<Decoded>): Promise<Decoded> {
    try {
      return await f();
    } catch (e) {
      throw inputError("audio_invalid", `the ${this.name} audio cannot be decoded: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  async read(): Promise<Float32Array | null> {
    if (this.pending) {
      const p = this.pending;
      this.pending = null;
      return p;
    }
    for (;;) {
      const d = await this.step();
      if (!d) {
        // Decoders resynchronise past damaged frames silently; a count short of the container's shows it.
        if (this.expectedSamples !== null && this.decoded !== this.expectedSamples) {
          throw inputError("audio_invalid", `the ${this.name} audio is corrupt or truncated: ${this.decoded} of ${this.expectedSamples} samples could be decoded`);
        }
        return null;
      }
      if (d.samplesDecoded === 0) continue;
      if (d.sampleRate !== this.sampleRate) {
        throw inputError("audio_invalid", `the ${this.name} sample rate changes mid-stream (${this.sampleRate} → ${d.sampleRate} Hz)`);
      }
      return mixToMono(d.channelData, d.samplesDecoded);
    }
  }

  async close(): Promise<void> {
    try {
      this.decoder.free();
    } catch {
      // already freed
    }
    await this.file.close();
  }
}

/** Seconds from the bytes the first audio took: right for constant bitrates, an estimate otherwise. */
export function byRatio(size: number, start: number): Duration {
  return ({ sampleRate, samples, bytes }) => ({ seconds: bytes > 0 ? ((size - start) / bytes) * (samples / sampleRate) : 0, exact: bytes >= size - start });
}
