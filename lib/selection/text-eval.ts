import "server-only";
/**
 * Inputs and scoring for measuring a text classifier. Its eval set is JSONL, one `{"text", "label"}` per line: the
 * hold-out split a training run kept aside (stored with the version like an uploaded eval file), or for the built-in
 * language identifier the held-out sentences under tests/eval-data/langid (docs/langid.md says where they come from).
 * Latency is measured one text per request, as a caller classifying messages sends them; the accuracy pass sends
 * the items in chunks, which gives the same labels faster.
 */
import fs from "node:fs";
import path from "node:path";
import { encodeTexts, type ClassifyItem } from "@/lib/models/text/classify";
import type { ScoredMetric } from "./scoring";

export interface TextEvalItem {
  text: string;
  label: string;
}

export interface TextInputs {
  /** Stored in the figures' conditions. */
  name: string;
  items: TextEvalItem[];
  total: number;
  /** One text per request, for the latency steps. */
  single: Buffer[];
  /** The items in chunks of CHUNK, for the accuracy pass. */
  chunks: { from: number; bytes: Buffer }[];
}

export const ACCURACY_CHUNK = 64;

/**
 * The built-in language identifier's eval set, relative to the project root: UI translations from npm packages the
 * training corpus does not use (bench/langid, docs/langid.md). Selection measures on its sentences.
 */
export const LANGID_EVAL = path.join("bench", "langid", "eval-set.jsonl");

export function parseTextEval(jsonl: string): TextEvalItem[] {
  return jsonl
    .split("\n")
    .filter((l) => l.trim())
    .map((line, i) => {
      const row = JSON.parse(line) as { text?: unknown; label?: unknown };
      if (typeof row.text !== "string" || typeof row.label !== "string") throw new Error(`eval line ${i + 1}: needs "text" and "label" strings`);
      return { text: row.text, label: row.label };
    });
}

/** `n` items taken round-robin over the labels (the file's order within each), so a subset covers every label. */
export function byLabelRoundRobin(items: readonly TextEvalItem[], n: number | undefined): TextEvalItem[] {
  if (n === undefined || n >= items.length) return [...items];
  const groups = new Map<string, TextEvalItem[]>();
  for (const it of items) groups.set(it.label, [...(groups.get(it.label) ?? []), it]);
  const out: TextEvalItem[] = [];
  for (let round = 0; out.length < n; round++) {
    let took = false;
    for (const g of groups.values()) {
      if (round < g.length) {
        out.push(g[round]);
        took = true;
        if (out.length === n) break;
      }
    }
    if (!took) break;
  }
  return out;
}

export function textInputs(name: string, all: readonly TextEvalItem[], limit: number | undefined): TextInputs {
  const items = byLabelRoundRobin(all, limit);
  const chunks: TextInputs["chunks"] = [];
  for (let i = 0; i < items.length; i += ACCURACY_CHUNK) chunks.push({ from: i, bytes: encodeTexts(items.slice(i, i + ACCURACY_CHUNK).map((x) => x.text)) });
  return { name, items, total: all.length, single: items.map((x) => encodeTexts([x.text])), chunks };
}

/** The language identifier's eval set: `{"lang", "kind", "text"}` lines, sentences only, the language as the label. */
export function readLangidEval(root: string, limit: number | undefined): TextInputs {
  const items = fs
    .readFileSync(path.join(root, LANGID_EVAL), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { lang: string; kind: string; text: string })
    .filter((x) => x.kind === "sentence")
    .map((x) => ({ text: x.text, label: x.lang }));
  return textInputs(`${LANGID_EVAL} (sentences)`, items, limit);
}

export function readTextEval(file: string, name: string, limit: number | undefined): TextInputs {
  return textInputs(name, parseTextEval(fs.readFileSync(file, "utf8")), limit);
}

/** Accuracy (share of top labels right) and macro-F1 (F1 per label, averaged over the labels the eval set has). */
export function scoreText(items: readonly TextEvalItem[], predicted: readonly ClassifyItem[]): ScoredMetric[] {
  if (predicted.length !== items.length) throw new Error(`${predicted.length} answers for ${items.length} eval items`);
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  let right = 0;
  items.forEach((it, i) => {
    const got = predicted[i].label;
    if (got === it.label) {
      right++;
      inc(tp, it.label);
    } else {
      inc(fp, got);
      inc(fn, it.label);
    }
  });
  const labels = [...new Set(items.map((x) => x.label))];
  const f1s = labels.map((l) => {
    const t = tp.get(l) ?? 0;
    const denom = 2 * t + (fp.get(l) ?? 0) + (fn.get(l) ?? 0);
    return denom ? (2 * t) / denom : 0;
  });
  const n = items.length;
  return [
    { metric: "accuracy", value: n ? right / n : 0, unit: "top1" },
    { metric: "macro_f1", value: f1s.length ? f1s.reduce((a, b) => a + b, 0) / f1s.length : 0, unit: "ratio" },
  ];
}
