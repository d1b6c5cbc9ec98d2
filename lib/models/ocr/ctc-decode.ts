/**
 * Character dictionary and CTC greedy decoding for the PP-OCR recogniser.
 *
 * Class layout (PaddleOCR CTCLabelDecode with use_space_char=True): 0 = CTC blank, 1..N = the dictionary file's
 * lines, N+1 = " ". The file does not contain the space; wrappers that forget to append it shift nothing but map
 * the space class to `undefined` and glue Latin words together.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { resolveWeightPath } from "@/lib/models/weights";
import type { OcrDictionary } from "./models";

export interface Charset {
  /** `chars[k]` is the text of class k; `chars[0]` (blank) is "". */
  chars: readonly string[];
}

export function charsetFromDictionary(text: string): Charset {
  const lines = text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  // A trailing newline yields one empty last entry that is not a character.
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return { chars: ["", ...lines, " "] };
}

/**
 * Per dictionary key, i.e. per file content (uploaded keys are hashes; built-in ones name an npm asset): models
 * with different dictionaries never share a charset, models with the same one read it once.
 */
const cache = new Map<string, Promise<Charset>>();

async function readDictionary(dict: OcrDictionary): Promise<Charset> {
  const path = resolveWeightPath(dict.key);
  const bytes = await readFile(path);
  if (dict.sha256) {
    // Same rule as the ONNX files (lib/runtime/session-context.ts): bytes changed since registration never serve.
    const actual = createHash("sha256").update(bytes).digest("hex");
    if (actual !== dict.sha256) throw new Error(`failed to load dictionary ${path}: its SHA-256 is ${actual}, registered as ${dict.sha256}`);
  }
  return charsetFromDictionary(bytes.toString("utf8"));
}

/** Loads a dictionary once per key; concurrent callers share the read, a failed read is retried by the next one. */
export function loadCharset(dict: OcrDictionary): Promise<Charset> {
  let p = cache.get(dict.key);
  if (!p) {
    p = readDictionary(dict);
    p.catch(() => cache.delete(dict.key));
    cache.set(dict.key, p);
  }
  return p;
}

export interface DecodedText {
  text: string;
  /** Mean max-probability over emitted characters; 0 when nothing was emitted. */
  confidence: number;
}

/**
 * Space recovery: the recogniser often leaves out the space between CJK and Latin text (and sometimes between
 * Latin words in small or blurred print) while still giving the space class some probability in the blank
 * frames of the gap. A gap whose blank frames give the space at least the threshold is decoded as a space.
 *
 * Recovery only ever inserts a space between two emitted characters: the characters are exactly greedy CTC's
 * (issue 12 suspected it traded letters for spaces on degraded images; it cannot, and a unit test holds it to
 * that — the letters were lost in the recogniser's input resize, see recognize.ts).
 */
export const SPACE_RECOVERY_THRESHOLD = 0.01;

/**
 * Between a Chinese character and an ASCII letter or digit. The recogniser learnt from Chinese text that writes
 * "GPU使用率" and "GPU 使用率" alike, so even a wide gap there often gets well under 1 % space, whereas inside a Latin word
 * or a run of Chinese a space of that strength is noise. On sign-like lines that are not in the eval set (with
 * and without such spaces, clean and degraded), 0.001 here recovered 87 of the 104 boundary spaces 0.01 missed
 * and added no wrong one; the same threshold everywhere added dozens of spaces inside Latin words.
 */
export const SCRIPT_BOUNDARY_SPACE_THRESHOLD = 0.001;

/**
 * Character classes that matter for space recovery, from the first code point of a dictionary entry.
 * "widePunct": full-width punctuation (，。：（）…), whose glyph carries its own spacing, so a gap next to it is
 * not a space.
 */
type Kind = "han" | "alnum" | "widePunct" | "other";

function kindOf(ch: string): Kind {
  const c = ch.codePointAt(0) ?? 0;
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return "alnum";
  if ((c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff)) return "han";
  if (
    (c >= 0x3000 && c <= 0x303f) || // CJK symbols and punctuation (、。「」【】…)
    (c >= 0xff01 && c <= 0xff0f) || // ！＂＃＄％＆＇（）＊＋，－．／
    (c >= 0xff1a && c <= 0xff20) || // ：；＜＝＞？＠
    (c >= 0xff3b && c <= 0xff40) || // ［＼］＾＿｀
    (c >= 0xff5b && c <= 0xff65) // ｛｜｝～ and half-width CJK punctuation
  ) {
    return "widePunct";
  }
  return "other";
}

/** The space probability a gap between `before` and `after` needs to be read as a space. */
function spaceThreshold(before: Kind, after: Kind): number {
  if (before === "widePunct" || after === "widePunct") return Infinity;
  const boundary = (before === "han" && after === "alnum") || (before === "alnum" && after === "han");
  return boundary ? SCRIPT_BOUNDARY_SPACE_THRESHOLD : SPACE_RECOVERY_THRESHOLD;
}

/**
 * Greedy CTC over one sequence: argmax per time step, collapse repeats, drop blanks, plus space recovery.
 * `probs` holds `steps` rows of `classes` probabilities starting at `offset`.
 */
export function ctcGreedyDecode(
  probs: Float32Array,
  offset: number,
  steps: number,
  classes: number,
  charset: Charset,
): DecodedText {
  const chars = charset.chars;
  const space = chars.length - 1;
  let text = "";
  let sum = 0;
  let count = 0;
  let prev = -1;
  let gapSpace = 0;
  // Kind of the last emitted character; a space (emitted or recovered) leaves nothing to recover.
  let last: Kind | null = null;
  for (let t = 0; t < steps; t++) {
    const row = offset + t * classes;
    let best = 0;
    let bestP = probs[row];
    for (let c = 1; c < classes; c++) {
      const p = probs[row + c];
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    if (best === 0 && classes > space) gapSpace = Math.max(gapSpace, probs[row + space]);
    // A repeat only counts again after a different class (usually a blank) separated it.
    if (best !== 0 && best !== prev) {
      const ch = chars[best] ?? "";
      if (ch === " ") last = null;
      else {
        const kind = kindOf(ch);
        if (last !== null && gapSpace >= spaceThreshold(last, kind)) text += " ";
        last = kind;
      }
      text += ch;
      sum += bestP;
      count++;
      gapSpace = 0;
    }
    prev = best;
  }
  return { text, confidence: count === 0 ? 0 : sum / count };
}
