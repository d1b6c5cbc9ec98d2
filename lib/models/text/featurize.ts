/**
 * Text → sparse hashed features, fastText-style: character n-grams of every token (with boundary marks) and word
 * n-grams, each hashed into one of `buckets` rows of the model's embedding matrix. The trainer and the inference
 * workers both call this module, so a model sees at serving time exactly the features it was trained on: any change
 * to normalisation, tokenisation or hashing here silently invalidates every trained text model (the langid files
 * committed under models/langid included): tests/unit/models/text/featurize.test.ts pins some bucket ids for that.
 *
 * It runs per request in the inference workers, so the hot path makes no per-n-gram (or per-token) allocation: text
 * is classified code point by code point through a lookup table, n-gram hashes are FNV-1a over UTF-8 bytes fed
 * incrementally (the hash of "abc" extends the hash of "ab"), and bucket ids go into a reused scratch buffer that is
 * sorted and run-length counted.
 */

export interface FeaturizerConfig {
  /** Hash buckets, a power of two, 2^10..2^22. */
  buckets: number;
  /** Character n-gram lengths (inclusive) over each token with boundary marks, e.g. [1, 4]; null for none. */
  char: [number, number] | null;
  /** Word n-gram lengths (inclusive), e.g. [1, 2]; null for none. */
  word: [number, number] | null;
  /** Cap on distinct features per text (the L axis of the model's input); the most frequent are kept. */
  maxFeatures: number;
}

/** One definition of "the same text" for training and serving: NFKC, lower case, whitespace and controls collapsed. */
export function normalizeText(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/[\s\p{Cc}]+/gu, " ").trim();
}

// Code point classes. A token is a run of WORD code points, or one OTHER code point (punctuation, symbols, emoji:
// "£", "!" and "€" tell spam from ham, so they are tokens too). Zero-width (non-)joiners stay inside words: Persian
// and Indic scripts write them mid-word.
const SPACE = 0;
const WORD = 1;
const OTHER = 2;
const WORD_RE = /^[\p{L}\p{M}\p{N}\u200c\u200d]$/u;

let bmpClass: Uint8Array | null = null;

/** Classes of the Basic Multilingual Plane, computed once (~10 ms) instead of a regular expression per character. */
function bmpTable(): Uint8Array {
  if (bmpClass) return bmpClass;
  const t = new Uint8Array(0x10000);
  for (let cp = 0; cp < 0x10000; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) t[cp] = OTHER; // lone surrogates (never after codePointAt on valid pairs)
    else if (cp === 0x20) t[cp] = SPACE;
    else t[cp] = WORD_RE.test(String.fromCharCode(cp)) ? WORD : OTHER;
  }
  bmpClass = t;
  return t;
}

function classOf(cp: number, table: Uint8Array): number {
  if (cp < 0x10000) return table[cp];
  return WORD_RE.test(String.fromCodePoint(cp)) ? WORD : OTHER;
}

// FNV-1a, 32-bit. Char and word n-grams start from different offset bases (two hash functions), so a one-letter word
// and that letter as a character n-gram do not land in the same bucket by construction.
const FNV_PRIME = 16777619;
const CHAR_BASIS = 2166136261 | 0;
const WORD_BASIS = (2166136261 ^ 0x5bd1e995) | 0;
// Boundary marks are bytes no UTF-8 text contains, so "<" typed by a user is not a word start.
const BEGIN = -1;
const END = -2;
const BEGIN_BYTE = 0xfe;
const END_BYTE = 0xff;
const WORD_SEPARATOR = 0x20;

function feedByte(h: number, b: number): number {
  return Math.imul(h ^ b, FNV_PRIME);
}

/** Feeds a code point's UTF-8 bytes (or a boundary mark's byte). */
function feedCodePoint(h: number, cp: number): number {
  if (cp < 0) return feedByte(h, cp === BEGIN ? BEGIN_BYTE : END_BYTE);
  if (cp < 0x80) return feedByte(h, cp);
  if (cp < 0x800) return feedByte(feedByte(h, 0xc0 | (cp >> 6)), 0x80 | (cp & 0x3f));
  if (cp < 0x10000) return feedByte(feedByte(feedByte(h, 0xe0 | (cp >> 12)), 0x80 | ((cp >> 6) & 0x3f)), 0x80 | (cp & 0x3f));
  return feedByte(feedByte(feedByte(feedByte(h, 0xf0 | (cp >> 18)), 0x80 | ((cp >> 12) & 0x3f)), 0x80 | ((cp >> 6) & 0x3f)), 0x80 | (cp & 0x3f));
}

/** MurmurHash3's finaliser: FNV's low bits mix poorly, and the bucket id is the low bits. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Growable scratch buffers reused across calls (a worker featurizes one text at a time: no re-entrancy). */
class Scratch {
  cps = new Int32Array(1024); // the text's code points
  tokStart = new Int32Array(256); // token i is cps[tokStart[i] .. tokEnd[i])
  tokEnd = new Int32Array(256);
  ids = new Int32Array(4096); // emitted bucket ids
  counts = new Int32Array(4096); // run-length counts of the sorted ids
  word = new Int32Array(64); // one token with its boundary marks
  nIds = 0;
  push(id: number): void {
    if (this.nIds === this.ids.length) this.ids = grow(this.ids, this.nIds * 2);
    this.ids[this.nIds++] = id;
  }
}

function grow(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

const scratch = new Scratch();

/** Splits the normalised text into code points and tokens; returns the token count. */
function tokenize(text: string, s: Scratch): number {
  const table = bmpTable();
  if (s.cps.length < text.length) s.cps = new Int32Array(Math.max(text.length, s.cps.length * 2));
  let n = 0;
  let tokens = 0;
  let inWord = false;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i) as number;
    i += cp > 0xffff ? 2 : 1;
    const cls = classOf(cp, table);
    if (cls === WORD && inWord) {
      s.cps[n++] = cp;
      continue;
    }
    if (inWord) s.tokEnd[tokens++] = n;
    inWord = false;
    if (cls === SPACE) continue;
    if (tokens + 1 >= s.tokStart.length) {
      s.tokStart = grow(s.tokStart, s.tokStart.length * 2);
      s.tokEnd = grow(s.tokEnd, s.tokEnd.length * 2);
    }
    s.tokStart[tokens] = n;
    s.cps[n++] = cp;
    if (cls === WORD) inWord = true;
    else s.tokEnd[tokens++] = n;
  }
  if (inWord) s.tokEnd[tokens++] = n;
  return tokens;
}

function emitCharNgrams(s: Scratch, tokens: number, minN: number, maxN: number, mask: number): void {
  for (let t = 0; t < tokens; t++) {
    const len = s.tokEnd[t] - s.tokStart[t] + 2;
    if (s.word.length < len) s.word = new Int32Array(len * 2);
    const w = s.word;
    w[0] = BEGIN;
    w.set(s.cps.subarray(s.tokStart[t], s.tokEnd[t]), 1);
    w[len - 1] = END;
    for (let i = 0; i < len; i++) {
      let h = CHAR_BASIS;
      const stop = Math.min(len, i + maxN);
      for (let j = i; j < stop; j++) {
        h = feedCodePoint(h, w[j]);
        const n = j - i + 1;
        // A boundary mark alone is not an n-gram (as in fastText): every word would share it.
        if (n >= minN && !(n === 1 && w[i] < 0)) s.push(fmix(h) & mask);
      }
    }
  }
}

function emitWordNgrams(s: Scratch, tokens: number, minN: number, maxN: number, mask: number): void {
  for (let t = 0; t < tokens; t++) {
    let h = WORD_BASIS;
    const stop = Math.min(tokens, t + maxN);
    for (let u = t; u < stop; u++) {
      if (u > t) h = feedByte(h, WORD_SEPARATOR);
      for (let k = s.tokStart[u]; k < s.tokEnd[u]; k++) h = feedCodePoint(h, s.cps[k]);
      if (u - t + 1 >= minN) s.push(fmix(h) & mask);
    }
  }
}

/** Sorted unique bucket ids of a text and their weights: sublinear term frequency (1 + ln tf), L2-normalised. */
export function featurize(text: string, cfg: FeaturizerConfig): { indices: Int32Array; values: Float32Array } {
  const s = scratch;
  s.nIds = 0;
  const tokens = tokenize(normalizeText(text), s);
  const mask = cfg.buckets - 1;
  if (cfg.char) emitCharNgrams(s, tokens, cfg.char[0], cfg.char[1], mask);
  if (cfg.word) emitWordNgrams(s, tokens, cfg.word[0], cfg.word[1], mask);
  const ids = s.ids.subarray(0, s.nIds).sort();
  if (s.counts.length < ids.length) s.counts = new Int32Array(s.ids.length);
  const counts = s.counts;

  // Run-length count in place: ids[0..k) become the distinct ids, counts[0..k) their frequencies.
  let k = 0;
  for (let i = 0; i < ids.length; i++) {
    if (k > 0 && ids[k - 1] === ids[i]) counts[k - 1]++;
    else {
      ids[k] = ids[i];
      counts[k++] = 1;
    }
  }
  const n = Math.min(k, cfg.maxFeatures);
  const indices = new Int32Array(n);
  const values = new Float32Array(n);
  if (k > n) {
    // A long text: the most frequent features carry the signal; ties go to the lower id so the choice is stable.
    const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => counts[b] - counts[a] || ids[a] - ids[b]);
    const kept = Int32Array.from(order.slice(0, n)).sort();
    for (let i = 0; i < n; i++) {
      indices[i] = ids[kept[i]];
      values[i] = 1 + Math.log(counts[kept[i]]);
    }
  } else {
    for (let i = 0; i < n; i++) {
      indices[i] = ids[i];
      values[i] = 1 + Math.log(counts[i]);
    }
  }
  let norm = 0;
  for (let i = 0; i < n; i++) norm += values[i] * values[i];
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < n; i++) values[i] *= inv;
  return { indices, values };
}

/** A batch as the model's inputs: [n, width] row-major, each row padded with index 0 / value 0 (adds nothing). */
export function featurizeBatch(texts: readonly string[], cfg: FeaturizerConfig): { indices: BigInt64Array; values: Float32Array; width: number } {
  const rows = texts.map((t) => featurize(t, cfg));
  const width = rows.reduce((w, r) => Math.max(w, r.indices.length), 1);
  const indices = new BigInt64Array(texts.length * width);
  const values = new Float32Array(texts.length * width);
  // Bucket ids are non-negative and < 2^22: writing the low 32-bit word of each little-endian int64 (the high word
  // stays 0) avoids a BigInt allocation per element.
  const low = new Int32Array(indices.buffer);
  rows.forEach((r, i) => {
    for (let j = 0; j < r.indices.length; j++) low[2 * (i * width + j)] = r.indices[j];
    values.set(r.values, i * width);
  });
  return { indices, values, width };
}
