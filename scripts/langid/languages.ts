/**
 * The language identifier's label set (ISO 639-1) and the one place that maps the locale tags of its source
 * packages (BCP 47-ish: "pt-BR", "zh_TW", "no-NB", "sr-latn", "fil", "messages_ge"…) onto those labels.
 *
 * A language is in the set when it is among the most used languages AND both the training corpus and the
 * evaluation set have text for it (see docs/langid.md for the counts). Nynorsk ("nn") is left out on purpose:
 * "no" means Bokmål, as in the peers (eld, tinyld) — mixing the two written standards under one label would blur it.
 */

/** ISO 639-1 label → English name (for reports). Order is the model's label order: keep it sorted. */
export const LANGUAGES: Readonly<Record<string, string>> = {
  af: "Afrikaans",
  am: "Amharic",
  ar: "Arabic",
  az: "Azerbaijani",
  be: "Belarusian",
  bg: "Bulgarian",
  bn: "Bengali",
  bs: "Bosnian",
  ca: "Catalan",
  cs: "Czech",
  cy: "Welsh",
  da: "Danish",
  de: "German",
  el: "Greek",
  en: "English",
  eo: "Esperanto",
  es: "Spanish",
  et: "Estonian",
  eu: "Basque",
  fa: "Persian",
  fi: "Finnish",
  fr: "French",
  ga: "Irish",
  gl: "Galician",
  gu: "Gujarati",
  ha: "Hausa",
  he: "Hebrew",
  hi: "Hindi",
  hr: "Croatian",
  hu: "Hungarian",
  hy: "Armenian",
  id: "Indonesian",
  ig: "Igbo",
  is: "Icelandic",
  it: "Italian",
  ja: "Japanese",
  ka: "Georgian",
  kk: "Kazakh",
  km: "Khmer",
  kn: "Kannada",
  ko: "Korean",
  ku: "Kurdish (Kurmanji)",
  ky: "Kyrgyz",
  la: "Latin",
  lb: "Luxembourgish",
  lo: "Lao",
  lt: "Lithuanian",
  lv: "Latvian",
  mg: "Malagasy",
  mk: "Macedonian",
  ml: "Malayalam",
  mn: "Mongolian",
  mr: "Marathi",
  ms: "Malay",
  my: "Burmese",
  ne: "Nepali",
  nl: "Dutch",
  no: "Norwegian (Bokmål)",
  pa: "Punjabi",
  pl: "Polish",
  ps: "Pashto",
  pt: "Portuguese",
  ro: "Romanian",
  ru: "Russian",
  si: "Sinhala",
  sk: "Slovak",
  sl: "Slovenian",
  sq: "Albanian",
  sr: "Serbian",
  sv: "Swedish",
  sw: "Swahili",
  ta: "Tamil",
  te: "Telugu",
  tg: "Tajik",
  th: "Thai",
  tl: "Tagalog (Filipino)",
  tr: "Turkish",
  uk: "Ukrainian",
  ur: "Urdu",
  uz: "Uzbek",
  vi: "Vietnamese",
  yo: "Yoruba",
  zh: "Chinese",
  zu: "Zulu",
};

export const LABELS: readonly string[] = Object.keys(LANGUAGES).sort();

/** Locale tags that do not reduce to a label by taking their first subtag. null = deliberately excluded. */
const SPECIAL: Readonly<Record<string, string | null>> = {
  nb: "no",
  nn: null,
  fil: "tl",
  np: "ne", // video.js's Nepali
  zlm: "ms", // UDHR's Malay
  als: "sq", // UDHR's (Tosk) Albanian, the base of the standard language
  snd: "sd",
  "be-tarask": "be",
};

/**
 * The label for a source locale tag, or null when it is not one of ours. Script and region subtags are dropped
 * (sr-Latn and sr-Cyrl are both "sr"; zh-Hans and zh-Hant both "zh"; pt-BR and pt-PT both "pt").
 */
export function labelFor(locale: string): string | null {
  const tag = locale.trim().toLowerCase().replace(/_/g, "-");
  if (tag in SPECIAL) return pickLabel(SPECIAL[tag]);
  const primary = tag.split("-")[0];
  if (primary in SPECIAL) return pickLabel(SPECIAL[primary]);
  return pickLabel(primary);
}

function pickLabel(code: string | null): string | null {
  return code !== null && Object.hasOwn(LANGUAGES, code) ? code : null;
}
