/** The repository's labelled eval sets (tests/eval-data), loaded once into memory so I/O is never timed. */
import fs from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..");
const OCR_DIR = path.join(ROOT, "tests/eval-data/ocr");
const VAD_DIR = path.join(ROOT, "tests/eval-data/vad");

/** Group of an item: its file-name prefix (`rot180-03.png` → `rot180`, `lang-cmn-01.wav` → `lang`). */
function category(file: string): string {
  return file.split("-")[0];
}

export interface OcrItem {
  file: string;
  category: string;
  tags: string[];
  lines: string[];
  /** Reference for full-text comparison: lines joined by "\n". */
  ref: string;
  bytes: Buffer;
}

export function loadOcrSet(): OcrItem[] {
  const labels = JSON.parse(fs.readFileSync(path.join(OCR_DIR, "labels.json"), "utf8")) as { file: string; lines: string[]; tags: string[] }[];
  return labels.map((l) => ({
    file: l.file,
    category: category(l.file),
    tags: l.tags,
    lines: l.lines,
    ref: l.lines.join("\n"),
    bytes: fs.readFileSync(path.join(OCR_DIR, l.file)),
  }));
}

export interface VadItem {
  file: string;
  category: string;
  tags: string[];
  sampleRate: number;
  channels: number;
  durationS: number;
  speech: [number, number][];
  bytes: Buffer;
}

export function loadVadSet(): VadItem[] {
  const labels = JSON.parse(fs.readFileSync(path.join(VAD_DIR, "labels.json"), "utf8")) as Omit<VadItem, "bytes" | "category">[];
  return labels.map((l) => ({ ...l, category: category(l.file), bytes: fs.readFileSync(path.join(VAD_DIR, l.file)) }));
}

/** Every `step`-th item: a smaller set that keeps every category represented. */
export function every<T>(items: readonly T[], step: number): T[] {
  return items.filter((_, i) => i % step === 0);
}
