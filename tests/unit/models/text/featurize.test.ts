import { describe, expect, it } from "vitest";
import { featurize, featurizeBatch, normalizeText, type FeaturizerConfig } from "@/lib/models/text/featurize";

const BOTH: FeaturizerConfig = { buckets: 2 ** 18, char: [1, 4], word: [1, 2], maxFeatures: 4096 };
const CHAR: FeaturizerConfig = { buckets: 2 ** 16, char: [1, 3], word: null, maxFeatures: 4096 };
const WORD: FeaturizerConfig = { buckets: 2 ** 16, char: null, word: [1, 1], maxFeatures: 4096 };

function l2(values: Float32Array): number {
  return Math.sqrt(values.reduce((s, v) => s + v * v, 0));
}

function expectWellFormed(f: { indices: Int32Array; values: Float32Array }, cfg: FeaturizerConfig): void {
  expect(f.values.length).toBe(f.indices.length);
  for (let i = 0; i < f.indices.length; i++) {
    expect(f.indices[i]).toBeGreaterThanOrEqual(0);
    expect(f.indices[i]).toBeLessThan(cfg.buckets);
    if (i > 0) expect(f.indices[i]).toBeGreaterThan(f.indices[i - 1]); // sorted, unique
    expect(f.values[i]).toBeGreaterThan(0);
  }
  if (f.indices.length > 0) expect(l2(f.values)).toBeCloseTo(1, 5);
}

describe("normalizeText", () => {
  it.each([
    ["  Hello\t\tWORLD \n", "hello world"],
    ["ＡＢＣ１２３", "abc123"], // NFKC folds full-width forms
    ["a\u0000b\u0007c", "a b c"], // control characters are whitespace
    ["ﬁne", "fine"], // ligature
    ["", ""],
    [" \n\t ", ""],
  ])("%j → %j", (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });
});

describe("featurize", () => {
  it("is deterministic and does not depend on what was featurized before (scratch buffers are reused)", () => {
    const a = featurize("Free entry in 2 a wkly comp to win FA Cup final tkts!", BOTH);
    featurize("x".repeat(20_000) + " " + "very long text ".repeat(500), BOTH);
    const b = featurize("Free entry in 2 a wkly comp to win FA Cup final tkts!", BOTH);
    expect(Array.from(b.indices)).toEqual(Array.from(a.indices));
    expect(Array.from(b.values)).toEqual(Array.from(a.values));
    expectWellFormed(a, BOTH);
  });

  it("pins the hash: these ids change only if every trained text model is invalidated", () => {
    // "hi" with char [1, 2] and word [1, 1]: char n-grams h, i, <h, hi, i> and the word "hi".
    const f = featurize("hi", { buckets: 2 ** 20, char: [1, 2], word: [1, 1], maxFeatures: 100 });
    expect(f.indices.length).toBe(6);
    expect(Array.from(f.indices)).toMatchInlineSnapshot(`
      [
        553838,
        655226,
        774287,
        866908,
        935683,
        957649,
      ]
    `);
  });

  it("equals a straightforward reference: FNV-1a + murmur finaliser over each n-gram's UTF-8 bytes", () => {
    // A slow, allocation-happy second implementation of the documented scheme, for multilingual text.
    const fnv = (basis: number, bytes: number[]) => bytes.reduce((h, b) => Math.imul(h ^ b, 16777619), basis | 0);
    const fmix = (h: number) => {
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      return h ^ (h >>> 16);
    };
    const utf8 = (s: string) => Array.from(new TextEncoder().encode(s));
    const cfg: FeaturizerConfig = { buckets: 2 ** 20, char: [1, 3], word: [1, 2], maxFeatures: 10_000 };
    const text = "Ça va?  Grüße, 東京 😀 déjà-vu";
    const tokens = normalizeText(text).match(/[\p{L}\p{M}\p{N}\u200c\u200d]+|[^\s\p{L}\p{M}\p{N}\u200c\u200d]/gu) ?? [];
    const ids = new Map<number, number>();
    const add = (h: number) => {
      const id = fmix(h) & (cfg.buckets - 1);
      ids.set(id, (ids.get(id) ?? 0) + 1);
    };
    for (const t of tokens) {
      const cps: (string | null)[] = [null, ...Array.from(t), null]; // null: a boundary mark (0xFE before, 0xFF after)
      for (let i = 0; i < cps.length; i++) {
        for (let n = 1; n <= 3 && i + n <= cps.length; n++) {
          if (n === 1 && cps[i] === null) continue;
          const bytes = cps.slice(i, i + n).flatMap((c, k) => (c === null ? [i + k === 0 ? 0xfe : 0xff] : utf8(c)));
          add(fnv(2166136261, bytes));
        }
      }
    }
    for (let i = 0; i < tokens.length; i++) {
      add(fnv(2166136261 ^ 0x5bd1e995, utf8(tokens[i])));
      if (i + 1 < tokens.length) add(fnv(2166136261 ^ 0x5bd1e995, utf8(`${tokens[i]} ${tokens[i + 1]}`)));
    }
    const f = featurize(text, cfg);
    expect(Array.from(f.indices)).toEqual([...ids.keys()].sort((a, b) => a - b));
    const raw = Array.from(f.indices, (id) => 1 + Math.log(ids.get(id) as number));
    const norm = Math.hypot(...raw);
    raw.forEach((w, i) => expect(f.values[i]).toBeCloseTo(w / norm, 6));
  });

  it("counts n-grams as fastText does: boundary marks join n-grams but are no 1-gram of their own", () => {
    // "ab" → <ab> : 1-grams a, b; 2-grams <a, ab, b>; 3-grams <ab, ab>; 4-gram <ab> = 8 features (no collision at 2^22).
    const f = featurize("ab", { buckets: 2 ** 22, char: [1, 4], word: null, maxFeatures: 100 });
    expect(f.indices.length).toBe(8);
    // Words only: unigrams + bigrams of "a b c" = 3 + 2.
    expect(featurize("a b c", { buckets: 2 ** 22, char: null, word: [1, 2], maxFeatures: 100 }).indices.length).toBe(5);
    // Only bigrams.
    expect(featurize("a b c", { buckets: 2 ** 22, char: null, word: [2, 2], maxFeatures: 100 }).indices.length).toBe(2);
  });

  it("hashes char and word n-grams differently: the word 'a' is not the character 'a'", () => {
    const f = featurize("a", { buckets: 2 ** 22, char: [1, 1], word: [1, 1], maxFeatures: 100 });
    expect(f.indices.length).toBe(2);
  });

  it("sees the same features in differently cased, spaced or width-variant text", () => {
    const a = featurize("FREE  entry\tNOW", BOTH);
    const b = featurize("free entry now", BOTH);
    const c = featurize("ＦＲＥＥ entry now", BOTH);
    expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
    expect(Array.from(c.indices)).toEqual(Array.from(b.indices));
  });

  it("weights repeated n-grams sublinearly and L2-normalises", () => {
    const f = featurize("go go go go", WORD);
    expect(f.indices.length).toBe(1);
    expect(f.values[0]).toBeCloseTo(1, 6);
    const g = featurize("go go stop", WORD);
    const [go, stop] = [featurize("go", WORD).indices[0], featurize("stop", WORD).indices[0]];
    const w = (id: number) => g.values[Array.from(g.indices).indexOf(id)];
    expect(w(go) / w(stop)).toBeCloseTo(1 + Math.log(2), 5);
  });

  it.each([
    ["Chinese", "我们都是人，生而自由"],
    ["Japanese", "すべての人間は、生まれながらにして自由"],
    ["Thai", "มนุษย์ทั้งหลายเกิดมามีอิสระ"],
    ["Korean", "모든 인간은 태어날 때부터 자유로우며"],
    ["Hindi", "सभी मनुष्यों को गौरव और अधिकारों"],
    ["Arabic", "يولد جميع الناس أحرارًا"],
    ["emoji", "🎉🎉 win 🏆"],
  ])("gives %s text character n-gram features", (_, text) => {
    const f = featurize(text, CHAR);
    expect(f.indices.length).toBeGreaterThan(5);
    expectWellFormed(f, CHAR);
  });

  it("keeps a space-less script as one word token (word n-grams alone see one feature per run)", () => {
    expect(featurize("我们都是人", WORD).indices.length).toBe(1);
    expect(featurize("我们 都是人", WORD).indices.length).toBe(2);
  });

  it("makes punctuation and symbols tokens of their own ('£' and '!' tell spam from ham)", () => {
    const withSymbols = featurize("win £100 now!", WORD);
    const without = featurize("win 100 now", WORD);
    expect(withSymbols.indices.length).toBe(without.indices.length + 2);
  });

  it.each([[""], ["   "], ["\n\t"]])("gives no features for empty text %j", (text) => {
    const f = featurize(text, BOTH);
    expect(f.indices.length).toBe(0);
    expect(f.values.length).toBe(0);
  });

  it("caps distinct features at maxFeatures, keeping the most frequent", () => {
    const cfg: FeaturizerConfig = { buckets: 2 ** 22, char: null, word: [1, 1], maxFeatures: 3 };
    const f = featurize("common common common often often rare1 rare2 rare3 alsooften alsooften", cfg);
    expect(f.indices.length).toBe(3);
    const expected = ["common", "often", "alsooften"].map((w) => featurize(w, cfg).indices[0]).sort((a, b) => a - b);
    expect(Array.from(f.indices)).toEqual(expected);
    expectWellFormed(f, cfg);
  });

  it("handles a long text (10,000 characters) within the cap", () => {
    const words = Array.from({ length: 2000 }, (_, i) => `w${(i * 7919) % 1009}`);
    const f = featurize(words.join(" ").slice(0, 10_000), { ...BOTH, maxFeatures: 2048 });
    expect(f.indices.length).toBe(2048);
    expectWellFormed(f, BOTH);
  });

  it("keeps every id below the bucket count for each power of two", () => {
    for (const log2 of [10, 12, 16, 20, 22]) {
      const cfg = { ...BOTH, buckets: 2 ** log2 };
      expectWellFormed(featurize("The quick brown fox jumps over the lazy dog — 1234 ÄÖÜ ß", cfg), cfg);
    }
  });
});

describe("featurizeBatch", () => {
  it("pads rows to the widest with index 0 / value 0 and keeps each row's features", () => {
    const texts = ["hello there", "a", "", "a much longer text with many more features than the others"];
    const b = featurizeBatch(texts, BOTH);
    const rows = texts.map((t) => featurize(t, BOTH));
    expect(b.width).toBe(Math.max(...rows.map((r) => r.indices.length)));
    expect(b.indices.length).toBe(texts.length * b.width);
    expect(b.values.length).toBe(texts.length * b.width);
    rows.forEach((r, i) => {
      const idx = Array.from(b.indices.subarray(i * b.width, (i + 1) * b.width), Number);
      const val = Array.from(b.values.subarray(i * b.width, (i + 1) * b.width));
      expect(idx.slice(0, r.indices.length)).toEqual(Array.from(r.indices));
      expect(val.slice(0, r.values.length)).toEqual(Array.from(r.values));
      expect(idx.slice(r.indices.length).every((x) => x === 0)).toBe(true);
      expect(val.slice(r.values.length).every((x) => x === 0)).toBe(true);
    });
  });

  it("has width 1 (one padding column) for a batch of empty texts", () => {
    const b = featurizeBatch(["", "  "], BOTH);
    expect(b.width).toBe(1);
    expect(Array.from(b.indices)).toEqual([0n, 0n]);
    expect(Array.from(b.values)).toEqual([0, 0]);
  });
});
