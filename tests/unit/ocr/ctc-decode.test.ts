import { describe, expect, it } from "vitest";
import {
  charsetFromDictionary,
  ctcGreedyDecode,
  SCRIPT_BOUNDARY_SPACE_THRESHOLD,
  SPACE_RECOVERY_THRESHOLD,
  type Charset,
} from "@/lib/models/ocr/ctc-decode";
import { makeRng } from "@/scripts/eval/lib/prng";

// Classes: 0 blank, then the dictionary, then the space (use_space_char).
const charset = charsetFromDictionary(["a", "b", "码", "好", "，", "（", "7"].join("\n"));
const CLASSES = charset.chars.length;
const SPACE = CLASSES - 1;
const id = (ch: string) => charset.chars.indexOf(ch);

/**
 * One row per frame: the frame's argmax (a character, "" for blank) with probability 0.9, and optionally the
 * probability the space class gets in it.
 */
function frames(spec: readonly (string | { blank: true; space: number })[]): Float32Array {
  const out = new Float32Array(spec.length * CLASSES).fill(1e-5);
  spec.forEach((f, t) => {
    const row = t * CLASSES;
    if (typeof f === "string") out[row + (f === "" ? 0 : id(f))] = 0.9;
    else {
      out[row] = 0.9;
      out[row + SPACE] = f.space;
    }
  });
  return out;
}

const decode = (p: Float32Array) => ctcGreedyDecode(p, 0, p.length / CLASSES, CLASSES, charset).text;
const gap = (space: number) => ({ blank: true as const, space });

/** Plain greedy CTC (argmax, collapse repeats, drop blanks), the reference the recovery must not change. */
function plainGreedy(probs: Float32Array, steps: number, cs: Charset): { text: string; confidence: number } {
  let text = "";
  let sum = 0;
  let n = 0;
  let prev = -1;
  for (let t = 0; t < steps; t++) {
    const row = probs.subarray(t * CLASSES, (t + 1) * CLASSES);
    let best = 0;
    for (let c = 1; c < CLASSES; c++) if (row[c] > row[best]) best = c;
    if (best !== 0 && best !== prev) {
      text += cs.chars[best];
      sum += row[best];
      n++;
    }
    prev = best;
  }
  return { text, confidence: n === 0 ? 0 : sum / n };
}

describe("CTC space recovery", () => {
  it("only ever inserts spaces: the characters and the confidence are greedy CTC's (issue 12)", () => {
    // Frames like the recogniser's on degraded print: blanks whose space class ranges up to a few %, characters
    // that compete with the blank and with each other at similar probabilities, argmax spaces now and then.
    const rng = makeRng(12);
    let recovered = 0;
    for (let n = 0; n < 2000; n++) {
      const steps = rng.int(1, 40);
      const p = new Float32Array(steps * CLASSES);
      for (let t = 0; t < steps; t++) {
        const row = p.subarray(t * CLASSES, (t + 1) * CLASSES);
        for (let c = 0; c < CLASSES; c++) row[c] = rng.next() * 0.02;
        row[rng.int(0, CLASSES - 1)] += rng.next();
        if (rng.bool(0.6)) row[0] += rng.range(0.3, 1);
        row[SPACE] = rng.bool(0.3) ? rng.range(0, 0.05) : row[SPACE];
      }
      const ours = ctcGreedyDecode(p, 0, steps, CLASSES, charset);
      const plain = plainGreedy(p, steps, charset);
      expect(ours.text.replaceAll(" ", "")).toBe(plain.text.replaceAll(" ", ""));
      expect(ours.confidence).toBeCloseTo(plain.confidence, 6);
      // Spaces greedy emitted survive; recovery adds, never moves or drops.
      expect(ours.text.length).toBeGreaterThanOrEqual(plain.text.length);
      if (ours.text.length > plain.text.length) recovered++;
    }
    // The property is only meaningful if recovery actually fired.
    expect(recovered).toBeGreaterThan(100);
  });

  it("keeps a doubled letter separated by a blank whose space class is weak", () => {
    // "aa" as the recogniser writes "keep": a, blank, a. A 0.5 % space in the blank is below the Latin threshold.
    expect(decode(frames(["a", gap(SPACE_RECOVERY_THRESHOLD / 2), "a"]))).toBe("aa");
    expect(decode(frames(["a", "a", "", "a"]))).toBe("aa");
  });

  it("reads a faint space between a Chinese character and a Latin letter or digit as a space", () => {
    const faint = SCRIPT_BOUNDARY_SPACE_THRESHOLD * 2;
    expect(faint).toBeLessThan(SPACE_RECOVERY_THRESHOLD);
    expect(decode(frames(["码", gap(faint), "a"]))).toBe("码 a");
    expect(decode(frames(["b", "", gap(faint), "好"]))).toBe("b 好");
    expect(decode(frames(["7", gap(faint), "好"]))).toBe("7 好");
    // …but not inside a Latin word or a run of Chinese, where that is noise.
    expect(decode(frames(["a", gap(faint), "b"]))).toBe("ab");
    expect(decode(frames(["码", gap(faint), "好"]))).toBe("码好");
    // Below the boundary threshold the characters stay together ("2024年").
    expect(decode(frames(["7", gap(SCRIPT_BOUNDARY_SPACE_THRESHOLD / 2), "好"]))).toBe("7好");
  });

  it("reads a space of at least the Latin threshold between Latin letters", () => {
    expect(decode(frames(["a", gap(SPACE_RECOVERY_THRESHOLD * 2), "b"]))).toBe("a b");
    expect(decode(frames(["码", gap(SPACE_RECOVERY_THRESHOLD * 2), "好"]))).toBe("码 好");
  });

  it("adds no space next to full-width punctuation, whose glyph is the gap", () => {
    expect(decode(frames(["码", "，", gap(0.3), "a"]))).toBe("码，a");
    expect(decode(frames(["7", gap(0.3), "（", "好"]))).toBe("7（好");
    // A space the recogniser itself emitted (argmax) is its reading, and stays.
    expect(decode(frames(["，", " ", "好"]))).toBe("， 好");
  });

  it("does not double a space greedy already emitted", () => {
    expect(decode(frames(["a", " ", gap(0.3), "b"]))).toBe("a b");
    expect(decode(frames([gap(0.3), "a"]))).toBe("a");
  });
});
