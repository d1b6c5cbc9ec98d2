import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resample } from "@/lib/models/vad/resample";
import { StreamingResampler } from "@/lib/models/vad/resample-stream";

const RATES = [8000, 11025, 16000, 22050, 44100, 48000, 44056];

/** Noise with a seed: every sample differs, so a misplaced tap changes the output. */
function noise(n: number, seed: number): Float32Array {
  const x = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    x[i] = ((s >>> 0) / 4294967296) * 2 - 1;
  }
  return x;
}

function streamed(x: Float32Array, rate: number, slices: number[]): Float32Array {
  const r = new StreamingResampler(rate, 16000);
  const parts: Float32Array[] = [];
  let at = 0;
  for (let i = 0; at < x.length; i++) {
    const len = slices[i % slices.length];
    parts.push(r.push(x.subarray(at, at + len)));
    at += len;
  }
  parts.push(r.end());
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Bit-level comparison (toEqual on Float32Array treats -0 and 0 alike; Object.is does not). */
function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return false;
  return true;
}

describe("StreamingResampler", () => {
  it("matches resample() on the whole signal bit for bit, whatever the slicing", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...RATES),
        fc.integer({ min: 0, max: 30_000 }),
        fc.array(fc.integer({ min: 1, max: 9_000 }), { minLength: 1, maxLength: 6 }),
        fc.integer(),
        (rate, n, slices, seed) => {
          const x = noise(n, seed);
          const whole = resample(x, rate, 16000);
          expect(sameBits(streamed(x, rate, slices), whole)).toBe(true);
        },
      ),
      { numRuns: 120 },
    );
  });

  it("starts at any output sample from the input it asks for, bit for bit", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...RATES),
        fc.integer({ min: 0, max: 20_000 }),
        fc.double({ min: 0, max: 1.1, noNaN: true }),
        fc.integer({ min: 1, max: 7_000 }),
        fc.integer(),
        (rate, n, at, slice, seed) => {
          const x = noise(n, seed);
          const whole = resample(x, rate, 16000);
          const k0 = Math.floor(at * whole.length);
          const r = new StreamingResampler(rate, 16000);
          const from = r.skipTo(k0);
          expect(from).toBeGreaterThanOrEqual(0);
          const parts: Float32Array[] = [];
          for (let i = Math.min(from, n); i < n; i += slice) parts.push(r.push(x.subarray(i, Math.min(n, i + slice))));
          parts.push(r.end());
          const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
          let o = 0;
          for (const p of parts) {
            out.set(p, o);
            o += p.length;
          }
          expect(sameBits(out, whole.subarray(k0))).toBe(true);
        },
      ),
      { numRuns: 120 },
    );
  });

  it.each(RATES)("handles one-sample slices and signals shorter than the filter at %i Hz", (rate) => {
    for (const n of [0, 1, 2, 5, 17, 40, 333]) {
      const x = noise(n, n + 7);
      expect(sameBits(streamed(x, rate, [1]), resample(x, rate, 16000))).toBe(true);
    }
  });

  it("keeps only the filter span buffered", () => {
    const r = new StreamingResampler(44100, 16000);
    const slice = noise(44100, 3);
    for (let i = 0; i < 50; i++) r.push(slice);
    const internal = (r as unknown as { buf: Float32Array }).buf;
    expect(internal.length).toBeLessThanOrEqual(4 * 44100);
  });
});
