/**
 * Labelled texts with a known answer: each label is a made-up "language" with its own syllables (plus a few shared
 * by all), words of 1–3 syllables, sentences of 3–9 words. A working trainer separates them almost perfectly from
 * character n-grams; a broken one (wrong gradient, features that differ between training and serving) cannot.
 */
import { mulberry32 } from "@/lib/training/random";

const CONSONANTS = "bcdfghjklmnprstvwz";
const VOWELS = "aeiouy";

export function syntheticLanguages(opts: { labels: number; perLabel: number; seed: number }): { texts: string[]; labels: string[] } {
  const r = mulberry32(opts.seed);
  const pick = (s: string) => s[Math.floor(r() * s.length)];
  const syllable = () => pick(CONSONANTS) + pick(VOWELS) + (r() < 0.3 ? pick(CONSONANTS) : "");
  const shared = Array.from({ length: 6 }, syllable);
  const inventories = Array.from({ length: opts.labels }, () => [...Array.from({ length: 8 }, syllable), ...shared]);
  const texts: string[] = [];
  const labels: string[] = [];
  for (let i = 0; i < opts.labels * opts.perLabel; i++) {
    const l = i % opts.labels;
    const inv = inventories[l];
    const words = Array.from({ length: 3 + Math.floor(r() * 7) }, () => Array.from({ length: 1 + Math.floor(r() * 3) }, () => inv[Math.floor(r() * inv.length)]).join(""));
    texts.push(words.join(" "));
    labels.push(`lang${String(l).padStart(2, "0")}`);
  }
  return { texts, labels };
}
