/**
 * Decoded audio → the job's units: resampled to 16 kHz (bit-identical to the synchronous path's whole-signal
 * `resample`, see lib/models/vad/resample-stream.ts) and cut into chunks of exactly JOB_CHUNK_SAMPLES, the last
 * one shorter. A resumed job emits nothing before `from`: a WAV seeks to the few input samples the resampler needs
 * before that chunk; compressed formats are decoded from the start (their decoders cannot seek exactly).
 */
import { resampledLength } from "@/lib/models/vad/resample";
import { StreamingResampler } from "@/lib/models/vad/resample-stream";
import { inputError } from "../errors";
import type { UnitSource } from "../source";
import { JOB_CHUNK_SAMPLES, JOB_SAMPLE_RATE, type InputFormat, type InputInfo, type InputUnit } from "../types";
import type { PcmSource } from "./pcm";

export function audioInfo(format: InputFormat, pcm: PcmSource, frames?: number): InputInfo {
  const out = frames !== undefined ? resampledLength(frames, pcm.sampleRate, JOB_SAMPLE_RATE) : Math.ceil(pcm.seconds * JOB_SAMPLE_RATE);
  return {
    format,
    unit: "audio_s",
    total: pcm.seconds,
    units: Math.ceil(out / JOB_CHUNK_SAMPLES),
    sampleRate: pcm.sampleRate,
    channels: pcm.channels,
  };
}

export class AudioChunks implements UnitSource {
  private readonly resampler: StreamingResampler;
  private cur = new Float32Array(JOB_CHUNK_SAMPLES);
  private fill = 0;
  /** index of the chunk being filled */
  private index = 0;
  private readonly ready: InputUnit[] = [];
  private ended = false;
  private started = false;

  constructor(
    readonly info: InputInfo,
    private readonly pcm: PcmSource,
    private readonly from: number,
  ) {
    this.resampler = new StreamingResampler(pcm.sampleRate, JOB_SAMPLE_RATE);
  }

  async next(): Promise<InputUnit | null> {
    if (!this.started) {
      this.started = true;
      if (this.from > 0 && this.pcm.seek) {
        // Past the end (the job had finished its last chunk): nothing to read. Else start where `from` needs.
        if (this.pcm.exact && this.from >= this.info.units) this.ended = true;
        else {
          this.pcm.seek(this.resampler.skipTo(this.from * JOB_CHUNK_SAMPLES));
          this.index = this.from;
        }
      }
    }
    while (this.ready.length === 0 && !this.ended) {
      const block = await this.pcm.read();
      if (block) {
        this.take(this.resampler.push(block));
        continue;
      }
      this.take(this.resampler.end());
      this.ended = true;
      if (this.index === 0 && this.fill === 0) throw inputError("empty_input", "the recording holds no audio samples");
      if (this.fill > 0) this.emit();
    }
    return this.ready.shift() ?? null;
  }

  private take(samples: Float32Array): void {
    let at = 0;
    while (at < samples.length) {
      const n = Math.min(samples.length - at, JOB_CHUNK_SAMPLES - this.fill);
      this.cur.set(samples.subarray(at, at + n), this.fill);
      this.fill += n;
      at += n;
      if (this.fill === JOB_CHUNK_SAMPLES) this.emit();
    }
  }

  private emit(): void {
    const index = this.index++;
    const n = this.fill;
    this.fill = 0;
    // Chunks before `from` were completed before the restart: decoded (the filter needs them) but not emitted.
    if (index < this.from) return;
    const samples = n === JOB_CHUNK_SAMPLES ? this.cur : this.cur.slice(0, n);
    if (n === JOB_CHUNK_SAMPLES) this.cur = new Float32Array(JOB_CHUNK_SAMPLES);
    this.ready.push({ kind: "audio", index, samples, startS: (index * JOB_CHUNK_SAMPLES) / JOB_SAMPLE_RATE, seconds: n / JOB_SAMPLE_RATE });
  }

  async close(): Promise<void> {
    await this.pcm.close();
  }
}
