/**
 * The langid evaluation set (bench/langid/eval-set.jsonl, built by scripts/langid/build-eval.ts from npm packages
 * the training corpus does not use; provenance in docs/langid.md), loaded once so I/O is never timed.
 */
import fs from "node:fs";
import path from "node:path";

export interface LangidItem {
  lang: string;
  kind: "sentence" | "two-words";
  text: string;
  source: string;
}

export const EVAL_SET_FILE = path.resolve(__dirname, "eval-set.jsonl");

export function loadLangidSet(file = EVAL_SET_FILE): LangidItem[] {
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LangidItem);
}
