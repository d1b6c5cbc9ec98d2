"use client";
/**
 * A recording's waveform overview computed in the browser: decoded with Web Audio at a low sample rate (the overview
 * needs no more, and a 2-hour file stays ~90 MB decoded instead of gigabytes), then reduced to min/max per bucket.
 */

/** Files above this are not fetched for a waveform: the segments are drawn on a time axis alone. */
export const MAX_WAVEFORM_BYTES = 256 * 1024 * 1024;
/** Web Audio's lowest allowed rate. */
const OVERVIEW_RATE = 3_000;

export interface Envelope {
  min: Float32Array;
  max: Float32Array;
  duration_s: number;
}

export function envelopeOf(channels: Float32Array[], buckets: number, duration_s: number): Envelope {
  const length = channels[0]?.length ?? 0;
  const min = new Float32Array(buckets);
  const max = new Float32Array(buckets);
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * length) / buckets);
    const to = Math.max(from + 1, Math.floor(((b + 1) * length) / buckets));
    let lo = 0;
    let hi = 0;
    for (let i = from; i < Math.min(to, length); i++) {
      let v = 0;
      for (const c of channels) v += c[i];
      v /= channels.length;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    min[b] = lo;
    max[b] = hi;
  }
  return { min, max, duration_s };
}

/** Decodes `bytes` (any format this browser decodes) into a `buckets`-wide envelope; throws when it cannot. */
export async function decodeEnvelope(bytes: ArrayBuffer, buckets: number): Promise<Envelope> {
  const ctx = new OfflineAudioContext(1, 1, OVERVIEW_RATE);
  const audio = await ctx.decodeAudioData(bytes);
  const channels = Array.from({ length: audio.numberOfChannels }, (_, c) => audio.getChannelData(c));
  return envelopeOf(channels, buckets, audio.duration);
}

/** Tick spacing (s) giving at most ~`most` ticks over `duration_s`. */
export function tickStep(duration_s: number, most = 8): number {
  const steps = [0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400];
  return steps.find((s) => duration_s / s <= most) ?? Math.ceil(duration_s / most / 3600) * 3600;
}

/** 75.5 → "1:15.5"; 3725 → "1:02:05" (seconds shown with a decimal only below a minute's resolution). */
export function clock(s: number, decimals = 0): string {
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const ss = decimals ? sec.toFixed(decimals).padStart(3 + decimals, "0") : String(Math.floor(sec)).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}
