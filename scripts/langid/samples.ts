/**
 * Training samples for the language identifier, made from the committed corpus (models/langid/train-corpus.jsonl.gz)
 * deterministically: the same corpus and seed give the same samples in the same order on any machine (no ICU, no
 * locale-dependent calls — plain string operations and a seeded PRNG only).
 *
 * Per label: up to `perLabel` samples, about `fullShare` of them whole texts (long texts cut into sentences) and the
 * rest short windows — one to three consecutive words (or two to six characters in scripts written without spaces) —
 * so the model also learns from inputs as short as the two-word ones it is measured on.
 */
import fs from "node:fs";
import zlib from "node:zlib";
import { makeRng, seedFor, type Rng } from "../eval/lib/prng";

export interface CorpusRow {
  lang: string;
  text: string;
  source: string;
}

export function readCorpus(file: string): CorpusRow[] {
  return zlib
    .gunzipSync(fs.readFileSync(file))
    .toString("utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as CorpusRow);
}

export interface SampleOptions {
  seed: number;
  perLabel: number;
  /** Share of whole texts (the rest are short windows), 0..1. */
  fullShare: number;
}

/** Languages written without spaces between words: windows are cut in characters. */
const UNSPACED = new Set(["zh", "ja", "th", "lo", "km", "my"]);
const MAX_SENTENCE = 300;

/** Long texts (UDHR paragraphs) → sentences of at most MAX_SENTENCE characters. */
function sentences(text: string): string[] {
  if (text.length <= MAX_SENTENCE) return [text];
  const out: string[] = [];
  for (const part of text.split(/(?<=[.!?;:।۔။។。！？])\s+|(?<=[。！？])/u)) {
    for (let i = 0; i < part.length; i += MAX_SENTENCE) {
      const piece = part.slice(i, i + MAX_SENTENCE).trim();
      if (piece) out.push(piece);
    }
  }
  return out;
}

function shuffle<T>(a: T[], rng: Rng): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

function window(text: string, lang: string, rng: Rng): string | null {
  if (UNSPACED.has(lang) && !/\s/.test(text.trim())) {
    const chars = Array.from(text.replace(/[\p{P}\p{S}\d]+/gu, ""));
    if (chars.length < 2) return null;
    const n = Math.min(chars.length, rng.int(2, 6));
    const at = rng.int(0, chars.length - n);
    return chars.slice(at, at + n).join("");
  }
  const words = text.split(/\s+/).filter((w) => /\p{L}/u.test(w));
  if (words.length < 2) return null;
  const n = Math.min(words.length, rng.int(1, 3));
  const at = rng.int(0, words.length - n);
  return words.slice(at, at + n).join(" ");
}

export function buildSamples(rows: readonly CorpusRow[], labels: readonly string[], opt: SampleOptions): { texts: string[]; labels: string[] } {
  const byLang = new Map<string, string[]>();
  for (const r of rows) {
    if (!byLang.has(r.lang)) byLang.set(r.lang, []);
    byLang.get(r.lang)!.push(...sentences(r.text));
  }
  const texts: string[] = [];
  const out: string[] = [];
  for (const lang of labels) {
    const rng = makeRng(seedFor(opt.seed, lang));
    const pool = byLang.get(lang) ?? [];
    if (pool.length === 0) throw new Error(`no training text for ${lang}`);
    const full = shuffle([...pool], rng).slice(0, Math.round(opt.perLabel * opt.fullShare));
    const mine = [...full];
    // Windows from every text in turn (shuffled), so short samples come from all sources, not from a few long ones.
    const order = shuffle([...pool], rng);
    for (let i = 0, misses = 0; mine.length < opt.perLabel && misses < order.length; i = (i + 1) % order.length) {
      const w = window(order[i], lang, rng);
      if (w) {
        mine.push(w);
        misses = 0;
      } else misses++;
    }
    for (const t of mine) {
      texts.push(t);
      out.push(lang);
    }
  }
  // One seeded shuffle of the whole set, so no trainer sees the labels in blocks.
  const rng = makeRng(seedFor(opt.seed, "*"));
  const idx = shuffle(Array.from({ length: texts.length }, (_, i) => i), rng);
  return { texts: idx.map((i) => texts[i]), labels: idx.map((i) => out[i]) };
}
