/**
 * Per-frame speech probabilities → speech segments, following silero-vad's `get_speech_timestamps` (utils_vad.py)
 * so that a given model and option set give the same boundaries as the reference Python.
 *
 * Deliberate differences from the reference:
 * - When `maxSpeechS` forces a split at an earlier pause while a pause is in progress, that pause is kept, so
 *   the new segment still ends where it began (the reference forgets it and ends the segment frames later).
 * - The reference's post-split check `next_start < prev_end + window * i` is always true in practice; it is
 *   written here as what it does: the next segment starts where the chosen pause ended.
 */
import { FRAME_SAMPLES, MODEL_RATE } from "@/lib/models/vad/options";

export interface SpeechSegment {
  /** seconds, rounded to the millisecond */
  start: number;
  end: number;
}

export interface SegmentOptions {
  threshold: number;
  negThreshold: number;
  minSpeechMs: number;
  minSilenceMs: number;
  speechPadMs: number;
  maxSpeechS: number;
}

/** A pause inside a segment long enough to split at when `maxSpeechS` is hit (the reference's 98 ms). */
const MIN_SILENCE_AT_MAX_SPEECH_MS = 98;

interface Span {
  start: number;
  end: number;
}

/** The reference algorithm in sample units (16 kHz); exported for tests that want exact sample positions. */
export function segmentSamples(
  probs: ArrayLike<number>,
  totalSamples: number,
  o: SegmentOptions,
  frame = FRAME_SAMPLES,
  rate = MODEL_RATE,
): Span[] {
  const minSpeech = (rate * o.minSpeechMs) / 1000;
  const pad = (rate * o.speechPadMs) / 1000;
  const maxSpeech = rate * o.maxSpeechS - frame - 2 * pad; // Infinity stays Infinity
  const minSilence = (rate * o.minSilenceMs) / 1000;
  const minSilenceAtMax = (rate * MIN_SILENCE_AT_MAX_SPEECH_MS) / 1000;

  const speeches: Span[] = [];
  let triggered = false;
  let start = 0;
  let tempEnd = 0; // where the current pause began (0 = not in a pause)
  let pauses: { end: number; dur: number }[] = []; // pauses inside the current segment, for max-speech splits

  for (let i = 0; i < probs.length; i++) {
    const p = probs[i];
    const pos = frame * i;

    if (p >= o.threshold && tempEnd) {
      const dur = pos - tempEnd;
      if (dur > minSilenceAtMax) pauses.push({ end: tempEnd, dur });
      tempEnd = 0;
    }

    if (p >= o.threshold && !triggered) {
      triggered = true;
      start = pos;
      continue;
    }

    if (triggered && pos - start > maxSpeech) {
      if (pauses.length) {
        // Split at the longest pause (first one on ties, like Python's max) and resume where it ended.
        let best = pauses[0];
        for (const q of pauses) if (q.dur > best.dur) best = q;
        speeches.push({ start, end: best.end });
        start = best.end + best.dur;
        pauses = pauses.filter((q) => q.end > start);
      } else {
        // No pause to cut at: cut hard here; the next speech frame starts a new segment.
        speeches.push({ start, end: pos });
        triggered = false;
        tempEnd = 0;
        pauses = [];
        continue;
      }
    }

    if (p < o.negThreshold && triggered) {
      if (!tempEnd) tempEnd = pos;
      if (pos - tempEnd < minSilence) continue;
      if (tempEnd - start > minSpeech) speeches.push({ start, end: tempEnd });
      triggered = false;
      tempEnd = 0;
      pauses = [];
    }
  }

  if (triggered && totalSamples - start > minSpeech) speeches.push({ start, end: totalSamples });

  // Padding: each segment grows by `pad` on both sides, but two segments closer than 2 * pad split the gap.
  for (let i = 0; i < speeches.length; i++) {
    const s = speeches[i];
    if (i === 0) s.start = Math.trunc(Math.max(0, s.start - pad));
    if (i !== speeches.length - 1) {
      const next = speeches[i + 1];
      const gap = next.start - s.end;
      if (gap < 2 * pad) {
        const half = Math.floor(gap / 2);
        s.end += half;
        next.start = Math.max(0, next.start - half);
      } else {
        s.end = Math.trunc(Math.min(totalSamples, s.end + pad));
        next.start = Math.trunc(Math.max(0, next.start - pad));
      }
    } else {
      s.end = Math.trunc(Math.min(totalSamples, s.end + pad));
    }
  }
  return speeches;
}

/**
 * Segments in seconds, rounded to the millisecond and clamped to `durationS` (the input file's duration, which
 * the resampled signal can exceed by a fraction of a sample).
 */
export function speechSegments(
  probs: ArrayLike<number>,
  totalSamples: number,
  options: SegmentOptions,
  durationS = totalSamples / MODEL_RATE,
): SpeechSegment[] {
  return segmentSamples(probs, totalSamples, options).map((s) => ({
    start: Math.max(0, Math.round((s.start / MODEL_RATE) * 1000) / 1000),
    end: Math.min(durationS, Math.round((s.end / MODEL_RATE) * 1000) / 1000),
  }));
}
