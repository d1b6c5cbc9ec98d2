/**
 * What every audio decoder hands the chunker: mono samples at the file's own rate, block by block. Channels are
 * averaged exactly as lib/models/vad/wav.ts does it (sum in channel order, times 1/channels), so a job's samples
 * are the synchronous API's samples.
 */
export interface PcmSource {
  readonly sampleRate: number;
  readonly channels: number;
  /** duration in seconds: exact where the container says, else an estimate */
  readonly seconds: number;
  /** whether `seconds` is exact */
  readonly exact: boolean;
  /** Where the container allows it (WAV): the next read() starts at this frame. */
  seek?(frame: number): void;
  /** The next block of mono samples, or null at the end. */
  read(): Promise<Float32Array | null>;
  close(): Promise<void>;
}

/** Average of the channels' first `n` samples (a copy for mono, so decoders may reuse their buffers). */
export function mixToMono(channelData: readonly Float32Array[], n: number): Float32Array {
  const channels = channelData.length;
  if (channels === 1) return channelData[0].slice(0, n);
  const out = new Float32Array(n);
  const inv = 1 / channels;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += channelData[c][i];
    out[i] = sum * inv;
  }
  return out;
}
