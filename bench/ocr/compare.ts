/**
 * Per-image OCR comparison, ours vs @gutenye/ocr-node, on the eval set (tests/eval-data/ocr):
 *
 *   node --conditions=react-server --import tsx bench/ocr/compare.ts [--only=REGEX] [--model=ID] [--options=JSON]
 *        [--texts] [--json=FILE] [--peer-cache=FILE]
 *
 * Prints, per image, CER without and with spaces for both systems, then the same per category. `--texts` also
 * prints reference and both hypotheses for every image where either system made an edit (`*` marks images where
 * ours has more non-space edits than the peer's); `bench/ocr/frames.ts IMAGE` then shows why, frame by frame.
 * `--options` passes pipeline options (e.g. '{"unclipRatio":1.5}'); `--peer-cache` keeps the peer's output in a
 * file, since it never changes while you iterate on ours. Accuracy only, nothing is timed: safe on a busy machine.
 * Ours runs in-process on one thread (the runtime gives the same text, see the batching suite).
 */
import fs from "node:fs";
import { catalogEntry } from "@/lib/models/catalog";
import type { OcrResult } from "@/lib/models/ocr";
import { runEntry } from "@/lib/models/run-entry";
import { levenshtein, stripWhitespace } from "@/scripts/eval/metrics";
import { directContext } from "../lib/contexts";
import { loadOcrSet, type OcrItem } from "../lib/data";
import { pct } from "../lib/format";
import { createOcrNode } from "../lib/peers";
import { categories, scoreOcr } from "../lib/scoring";
import { renderText } from "../lib/table";

/** The eval set's heavily degraded groups (scripts/eval/make-ocr-set.ts), summed in one row. */
const HEAVY = ["heavyblur", "lowres", "heavyjpeg"];

interface Args {
  only: RegExp | null;
  model: string;
  options: Record<string, unknown>;
  texts: boolean;
  json: string | null;
  peerCache: string | null;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { only: null, model: "ppocr-v4-det960", options: {}, texts: false, json: null, peerCache: null };
  for (const a of argv) {
    const value = (flag: string) => (a.startsWith(`${flag}=`) ? a.slice(flag.length + 1) : null);
    if (value("--only") !== null) args.only = new RegExp(value("--only")!);
    else if (value("--model") !== null) args.model = value("--model")!;
    else if (value("--options") !== null) args.options = JSON.parse(value("--options")!) as Record<string, unknown>;
    else if (a === "--texts") args.texts = true;
    else if (value("--json") !== null) args.json = value("--json");
    else if (value("--peer-cache") !== null) args.peerCache = value("--peer-cache");
    else if (a === "--help" || a === "-h") {
      process.stdout.write(fs.readFileSync(__filename, "utf8").split("*/")[0]);
      process.exit(0);
    } else throw new Error(`unknown argument ${a} (try --help)`);
  }
  return args;
}

/** Edits of one image's full text (lines joined by "\n"), with and without whitespace. */
function edits(ref: string, hyp: string): { sp: number; noSp: number } {
  return { sp: levenshtein(ref, hyp), noSp: levenshtein(stripWhitespace(ref), stripWhitespace(hyp)) };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const entry = catalogEntry(args.model);
  if (!entry || entry.task !== "ocr") throw new Error(`--model: ${args.model} is not an OCR catalog entry`);
  const items = loadOcrSet().filter((it) => !args.only || args.only.test(it.file));
  if (items.length === 0) throw new Error("--only matched no image");

  const cached: Record<string, string[]> =
    args.peerCache && fs.existsSync(args.peerCache) ? (JSON.parse(fs.readFileSync(args.peerCache, "utf8")) as Record<string, string[]>) : {};
  const ctx = directContext(1);
  const peer = await createOcrNode(1);
  const ours: string[][] = [];
  const theirs: string[][] = [];
  for (const it of items) {
    ours.push(((await runEntry(entry, it.bytes, args.options, ctx)).result as OcrResult).lines.map((l) => l.text));
    theirs.push(cached[it.file] ?? (cached[it.file] = await peer(it.bytes)));
  }
  await ctx.close();
  if (args.peerCache) fs.writeFileSync(args.peerCache, JSON.stringify(cached));

  const rows: string[][] = [];
  const texts: string[] = [];
  const perImage = items.map((it, i) => {
    const o = edits(it.ref, ours[i].join("\n"));
    const p = edits(it.ref, theirs[i].join("\n"));
    const n = { sp: Array.from(it.ref).length, noSp: Array.from(stripWhitespace(it.ref)).length };
    const mark = o.noSp > p.noSp ? "*" : "";
    rows.push([
      `${mark}${it.file}`,
      String(n.noSp),
      pct(o.noSp / n.noSp, 1),
      pct(p.noSp / n.noSp, 1),
      pct(o.sp / n.sp, 1),
      pct(p.sp / n.sp, 1),
      o.noSp > p.noSp ? "ours worse" : o.noSp < p.noSp ? "ours better" : o.sp > p.sp ? "ours worse (spaces)" : o.sp < p.sp ? "ours better (spaces)" : "",
    ]);
    if (args.texts && (o.sp > 0 || p.sp > 0)) {
      const show = (s: string[]) => JSON.stringify(s.join("\n"));
      texts.push(`${mark}${it.file} [${it.tags.join(", ")}]\n  ref  ${JSON.stringify(it.ref)}\n  ours ${show(ours[i])}\n  peer ${show(theirs[i])}`);
    }
    return { file: it.file, category: it.category, ref: it.ref, ours: ours[i], peer: theirs[i], edits: { ours: o, peer: p }, chars: n };
  });
  process.stdout.write(
    `${renderText({
      title: `Per image: ${args.model} (in-process) vs @gutenye/ocr-node (1 thread)`,
      columns: ["image", "chars", "ours no sp.", "peer no sp.", "ours CER", "peer CER", ""],
      rows,
      notes: ["chars = reference characters without whitespace; CER = edits / reference characters of the whole text (lines joined by \\n)"],
    })}\n\n`,
  );
  if (texts.length) process.stdout.write(`${texts.join("\n")}\n\n`);

  const catRow = (label: string, f: (it: OcrItem) => boolean): string[] => {
    const o = scoreOcr(items, ours, f);
    const p = scoreOcr(items, theirs, f);
    return [label, String(o.n), pct(o.cerNoSpaces), pct(p.cerNoSpaces), pct(o.cer), pct(p.cer), String(o.editsNoSpaces), String(p.editsNoSpaces)];
  };
  const cats = categories(items);
  const summary: [string, (it: OcrItem) => boolean][] = [
    [HEAVY.join("+"), (it) => HEAVY.includes(it.category)],
    ["all but rot180", (it) => it.category !== "rot180"],
    ["all", () => true],
  ];
  process.stdout.write(
    `${renderText({
      title: "Per category (corpus CER)",
      columns: ["category", "n", "ours no sp.", "peer no sp.", "ours CER", "peer CER", "ours edits no sp.", "peer edits no sp."],
      rows: [...cats.map((c) => catRow(c, (it) => it.category === c)), ...summary.filter(([, f]) => items.some(f)).map(([l, f]) => catRow(l, f))],
      notes: ["rot180 is upside-down text: only the -cls variants turn it; neither system reads it without an angle classifier."],
    })}\n`,
  );
  if (args.json) fs.writeFileSync(args.json, JSON.stringify({ model: args.model, options: args.options, images: perImage }, null, 2));
}

main()
  .then(() => process.exit(0))
  .catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
