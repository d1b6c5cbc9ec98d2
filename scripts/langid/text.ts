/**
 * Text clean-up and word cutting shared by the corpus and eval-set builders, so both sides see text the same way.
 */

const ENTITIES: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", "#39": "'" };

/**
 * Strips what is not language from a UI string: HTML tags and entities, placeholders (%1, %d, %s, {0}, {name},
 * _START_, $1), URLs, and collapses whitespace. Returns "" when nothing is left.
 */
export function cleanText(raw: string): string {
  return raw
    .replace(/<[^>]*>/g, " ")
    .replace(/&(#?\w+);/g, (m, e: string) => ENTITIES[e.toLowerCase()] ?? " ")
    .replace(/https?:\/\/\S+/g, " ")
    .replace(/%\d+\$?[sd]?|%[sdif]|%\{[^}]*\}|\{\{?[^{}]*\}?\}|_[A-Z]+_|\$\d+/g, " ")
    .replace(/\\n|\\t/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

export interface Word {
  text: string;
  start: number;
  end: number;
}

const segmenters = new Map<string, Intl.Segmenter>();

/**
 * Word-like segments in the language's own rules (ICU's dictionaries split Chinese, Japanese, Thai, Lao, Khmer and
 * Burmese, which write no spaces between words).
 */
export function words(text: string, lang: string): Word[] {
  let seg = segmenters.get(lang);
  if (!seg) segmenters.set(lang, (seg = new Intl.Segmenter(lang, { granularity: "word" })));
  const out: Word[] = [];
  for (const s of seg.segment(text)) {
    if (s.isWordLike && /\p{L}/u.test(s.segment)) out.push({ text: s.segment, start: s.index, end: s.index + s.segment.length });
  }
  return out;
}

/** A sentence for evaluation: at least four words with letters and at least 12 characters. */
export function isSentence(text: string, lang: string): boolean {
  return text.length >= 12 && words(text, lang).length >= 4;
}
