import { describe, expect, it } from "vitest";
import { validateVadOptions, type VadOptions } from "@/lib/models/vad/options";
import { segmentSamples, speechSegments } from "@/lib/models/vad/segments";

const F = 512; // samples per frame at 16 kHz (32 ms)

/** Probabilities from runs: [probability, frame count], ... */
function probs(...runs: [number, number][]): number[] {
  return runs.flatMap(([p, n]) => Array<number>(n).fill(p));
}

function seg(p: number[], options: VadOptions = {}, total = p.length * F) {
  return segmentSamples(p, total, validateVadOptions(options));
}

const NO_PAD = { speechPadMs: 0 };

describe("segmentSamples", () => {
  it("finds one segment and pads it by speechPadMs on each side", () => {
    const p = probs([0, 10], [0.9, 20], [0, 20]);
    expect(seg(p, NO_PAD)).toEqual([{ start: 10 * F, end: 30 * F }]);
    expect(seg(p)).toEqual([{ start: 10 * F - 480, end: 30 * F + 480 }]);
  });

  it("drops segments not longer than minSpeechMs", () => {
    // 7 frames = 224 ms < 250 ms; 8 frames = 256 ms > 250 ms.
    expect(seg(probs([0, 10], [0.9, 7], [0, 20]), NO_PAD)).toEqual([]);
    expect(seg(probs([0, 10], [0.9, 8], [0, 20]), NO_PAD)).toEqual([{ start: 10 * F, end: 18 * F }]);
    expect(seg(probs([0, 10], [0.9, 7], [0, 20]), { ...NO_PAD, minSpeechMs: 200 })).toHaveLength(1);
  });

  it("merges across pauses shorter than minSilenceMs and splits at longer ones", () => {
    // The pause is measured from its first silent frame: 4 frames (128 ms) still count as < 100 ms of *elapsed*
    // silence when speech resumes (3 frames after the first), exactly as in silero-vad.
    const merged = seg(probs([0, 10], [0.9, 20], [0, 4], [0.9, 20], [0, 20]), NO_PAD);
    expect(merged).toEqual([{ start: 10 * F, end: 54 * F }]);
    const split = seg(probs([0, 10], [0.9, 20], [0, 5], [0.9, 20], [0, 20]), NO_PAD);
    expect(split).toEqual([
      { start: 10 * F, end: 30 * F },
      { start: 35 * F, end: 55 * F },
    ]);
    // A longer minSilenceMs merges the 5-frame pause too.
    expect(seg(probs([0, 10], [0.9, 20], [0, 5], [0.9, 20], [0, 20]), { ...NO_PAD, minSilenceMs: 200 })).toHaveLength(1);
  });

  it("uses hysteresis: values between negThreshold and threshold neither start nor end speech", () => {
    expect(seg(probs([0.4, 50]), NO_PAD)).toEqual([]);
    const p = probs([0, 10], [0.9, 10], [0.4, 30], [0, 10]);
    expect(seg(p, NO_PAD)).toEqual([{ start: 10 * F, end: 50 * F }]);
    // With negThreshold above 0.4 the same frames end the segment.
    expect(seg(p, { ...NO_PAD, negThreshold: 0.45 })).toEqual([{ start: 10 * F, end: 20 * F }]);
  });

  it("splits the gap between segments closer than twice the padding", () => {
    const p = probs([0, 10], [0.9, 20], [0, 1], [0.9, 20], [0, 10]);
    // minSilenceMs 0: a single silent frame closes the segment; the 512-sample gap is < 2 * 480.
    const s = seg(p, { minSilenceMs: 0, speechPadMs: 30 });
    expect(s).toEqual([
      { start: 10 * F - 480, end: 30 * F + 256 },
      { start: 31 * F - 256, end: 51 * F + 480 },
    ]);
  });

  it("clamps padding to the audio and closes speech that runs to the end", () => {
    const p = probs([0.9, 30]);
    const total = 30 * F - 100; // the last frame was zero-padded
    expect(seg(p, {}, total)).toEqual([{ start: 0, end: total }]);
  });

  it("splits at the longest inner pause when maxSpeechS is reached", () => {
    // Pause A (4 frames, 128 ms > 98 ms) and pause B (3 frames, 96 ms: too short to split at).
    const p = probs([0, 10], [0.9, 40], [0, 4], [0.9, 40], [0, 3], [0.9, 60], [0, 20]);
    const s = seg(p, { ...NO_PAD, maxSpeechS: 3 });
    expect(s[0]).toEqual({ start: 10 * F, end: 50 * F });
    // Resumes where pause A ended; pause B is too short, so the rest is cut hard at the limit.
    expect(s[1]).toEqual({ start: 54 * F, end: 147 * F });
    expect(s.at(-1)?.end).toBe(157 * F);
    for (const x of s) expect(x.end - x.start).toBeLessThanOrEqual(3 * 16000);
  });

  it("cuts hard at maxSpeechS when there is no pause", () => {
    const p = probs([0.9, 200]);
    const s = seg(p, { ...NO_PAD, maxSpeechS: 3 });
    // Cut when (i - start) * 512 > 3 s - one frame - 2 pads = 47488 samples (no pads here), i.e. at frame 93;
    // the next speech frame starts a new segment.
    expect(s[0]).toEqual({ start: 0, end: 93 * F });
    expect(s[1]).toEqual({ start: 94 * F, end: 187 * F });
    expect(s.length).toBe(3);
  });

  it("returns nothing for silence and for empty input", () => {
    expect(seg(probs([0.01, 100]))).toEqual([]);
    expect(seg([])).toEqual([]);
  });
});

describe("speechSegments", () => {
  it("reports seconds rounded to the millisecond, clamped to the duration", () => {
    const p = probs([0, 10], [0.9, 20]);
    const total = 30 * F;
    const s = speechSegments(p, total, validateVadOptions({}), 0.9595);
    expect(s).toEqual([{ start: 0.29, end: 0.9595 }]);
    const unclamped = speechSegments(probs([0, 11], [0.9, 20], [0, 20]), 51 * F, validateVadOptions({}));
    expect(unclamped).toEqual([{ start: 0.322, end: 1.022 }]);
  });
});
