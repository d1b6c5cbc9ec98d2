import { describe, expect, it } from "vitest";
import { resample, resampledLength } from "@/lib/models/vad/resample";
import { referenceResample } from "@/tests/unit/vad/helpers";

function tone(freq: number, rate: number, seconds: number, amp = 0.5): Float32Array {
  return Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => amp * Math.sin((2 * Math.PI * freq * i) / rate));
}

/** RMS over the middle of a signal, away from the filter's edge transients. */
function midRms(x: Float32Array): number {
  const a = Math.floor(x.length * 0.2);
  const b = Math.floor(x.length * 0.8);
  let s = 0;
  for (let i = a; i < b; i++) s += x[i] * x[i];
  return Math.sqrt(s / (b - a));
}

describe("resample", () => {
  it("returns the input unchanged at 16 kHz", () => {
    const x = tone(440, 16000, 0.1);
    expect(resample(x, 16000, 16000)).toBe(x);
  });

  it.each([8000, 11025, 22050, 44100, 48000, 96000, 192000, 44056])("keeps duration and passband level from %i Hz", (rate) => {
    const x = tone(1000, rate, 0.5);
    const y = resample(x, rate, 16000);
    expect(y.length).toBe(resampledLength(x.length, rate, 16000));
    expect(Math.abs(y.length - 8000)).toBeLessThanOrEqual(1);
    expect(midRms(y) / midRms(x)).toBeCloseTo(1, 2);
  });

  it.each([44100, 48000, 192000])("removes content above 8 kHz instead of aliasing it (%i Hz)", (rate) => {
    // A 12 kHz tone would fold to 4 kHz under naive decimation; the anti-alias filter must remove it.
    const y = resample(tone(12000, rate, 0.5), rate, 16000);
    expect(midRms(y)).toBeLessThan(0.5 * 0.001); // > 60 dB down
  });

  it("matches a direct-evaluation windowed-sinc reference", () => {
    let seed = 7;
    const x = Float32Array.from({ length: 44100 / 4 }, () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32 - 0.5;
    });
    // Low-pass the noise first so both filters' differing transition bands do not matter.
    const smooth = referenceResample(referenceResample(x, 44100, 12000), 12000, 44100);
    const a = resample(smooth, 44100, 16000);
    const b = referenceResample(smooth, 44100, 16000);
    let err = 0;
    for (let i = 200; i < Math.min(a.length, b.length) - 200; i++) err = Math.max(err, Math.abs(a[i] - b[i]));
    expect(err).toBeLessThan(1e-3);
  });
});
