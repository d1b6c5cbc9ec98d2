import "server-only";
/**
 * The labelled eval sets (tests/eval-data, see scripts/eval/README.md) and their subsets. A quick subset takes
 * items round-robin over the groups in a fixed priority order, so even 8 items cover the cases that separate
 * the variants (upside-down text for the angle classifier, wide canvases for the detection size, noisy and
 * 8 kHz audio for the VAD versions) and the same subset is chosen on every host.
 */
import fs from "node:fs";
import path from "node:path";
import type { Task } from "@/lib/models/catalog";

export interface OcrEvalItem {
  file: string;
  lines: string[];
  tags: string[];
}

export interface VadEvalItem {
  file: string;
  durationS: number;
  speech: [number, number][];
  tags: string[];
}

export interface EvalSet<T> {
  task: Task;
  /** Eval set name as stored in benchmark conditions. */
  name: string;
  dir: string;
  items: T[];
  /** Size of the whole set, to state "8 of 102" in conditions. */
  total: number;
}

const OCR_PRIORITY = ["zh", "en", "mixed", "para", "rot180", "wide", "rotated", "blur", "noise", "lowcontrast", "jpeg", "heavyblur", "lowres", "heavyjpeg"];
const VAD_PRIORITY = ["clean", "snr10", "sr8k", "lang", "hum", "snr5", "nospeech", "snr20", "stereo", "longgap", "sr44k"];

function groupOf(file: string): string {
  return file.split("-")[0];
}

/** Round-robin over groups (priority order first, unknown groups after), first item of each group first. */
export function stratified<T extends { file: string }>(items: readonly T[], priority: readonly string[], n: number): T[] {
  if (n >= items.length) return [...items];
  const groups = new Map<string, T[]>();
  for (const it of items) {
    const g = groupOf(it.file);
    groups.set(g, [...(groups.get(g) ?? []), it]);
  }
  const order = [...priority.filter((g) => groups.has(g)), ...[...groups.keys()].filter((g) => !priority.includes(g))];
  const out: T[] = [];
  for (let round = 0; out.length < n; round++) {
    let took = false;
    for (const g of order) {
      const it = groups.get(g)![round];
      if (!it) continue;
      took = true;
      out.push(it);
      if (out.length === n) break;
    }
    if (!took) break;
  }
  return out;
}

function readLabels<T>(dir: string): T[] {
  return JSON.parse(fs.readFileSync(path.join(dir, "labels.json"), "utf8")) as T[];
}

export function evalDir(root: string, task: Task): string {
  return path.join(/*turbopackIgnore: true*/ root, "tests", "eval-data", task);
}

export function ocrEvalSet(root: string, size?: number): EvalSet<OcrEvalItem> {
  const dir = evalDir(root, "ocr");
  const all = readLabels<OcrEvalItem>(dir);
  return { task: "ocr", name: "tests/eval-data/ocr", dir, items: stratified(all, OCR_PRIORITY, size ?? all.length), total: all.length };
}

export function vadEvalSet(root: string, size?: number): EvalSet<VadEvalItem> {
  const dir = evalDir(root, "vad");
  const all = readLabels<VadEvalItem>(dir);
  return { task: "vad", name: "tests/eval-data/vad", dir, items: stratified(all, VAD_PRIORITY, size ?? all.length), total: all.length };
}

/** Reads every item's bytes once per run (≈ 1.4 MB of images, ≈ 7 MB of audio for the whole sets). */
export function loadBytes(set: EvalSet<{ file: string }>): Buffer[] {
  return set.items.map((it) => fs.readFileSync(path.join(set.dir, it.file)));
}
