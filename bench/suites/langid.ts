/**
 * Language identification: Pareto's built-in langid variants (models/langid, through the server's featurize +
 * ONNX path on a bare onnxruntime-node session, one thread) against franc, eld and tinyld, in one process, on the
 * eval set bench/langid/eval-set.jsonl (UI translations from npm packages the training corpus does not use).
 *
 * Two views, because the peers know fewer languages than we do:
 * - all languages: every system restricted to (our labels ∩ what it knows) and scored on every item — an item in a
 *   language a peer does not know counts as its miss, which is what its user would get;
 * - shared: every system restricted to the languages all four know, scored only on items in those languages.
 * Throughput: texts per CPU-second on the sentences, one text per call, single thread (Pareto also batched by 64).
 */
import path from "node:path";
import { fixed, pct } from "../lib/format";
import { runSuite } from "../lib/suite";
import { loadLangidSet, type LangidItem } from "../langid/eval-set";
import { LANGID_DIR, readManifest } from "../langid/manifest";
import { eldSystem, francSystem, loadParetoModel, paretoSystem, tinyldSystem, type LangidSystem } from "../langid/systems";

type Kind = LangidItem["kind"];
const KINDS: Kind[] = ["sentence", "two-words"];
const GOAL = { sentence: 0.93, "two-words": 0.7 } as const;

interface Scored {
  accuracy: number;
  macro: number;
  n: number;
  /** lang → [correct, total] */
  perLang: Map<string, [number, number]>;
  /** "gold→guess" → count */
  confusions: Map<string, number>;
}

async function score(sys: LangidSystem, items: readonly LangidItem[], batch?: (t: readonly string[]) => Promise<string[]>): Promise<Scored> {
  const guesses: string[] = [];
  if (batch) for (let i = 0; i < items.length; i += 256) guesses.push(...(await batch(items.slice(i, i + 256).map((x) => x.text))));
  else for (const it of items) guesses.push(await sys.detectOne(it.text));
  const perLang = new Map<string, [number, number]>();
  const confusions = new Map<string, number>();
  let ok = 0;
  items.forEach((it, i) => {
    const c = perLang.get(it.lang) ?? [0, 0];
    c[1]++;
    if (guesses[i] === it.lang) {
      c[0]++;
      ok++;
    } else {
      const k = `${it.lang}→${guesses[i] || "?"}`;
      confusions.set(k, (confusions.get(k) ?? 0) + 1);
    }
    perLang.set(it.lang, c);
  });
  const langs = [...perLang.values()];
  return { accuracy: ok / items.length, macro: langs.reduce((s, [a, n]) => s + a / n, 0) / langs.length, n: items.length, perLang, confusions };
}

/** Texts per CPU-second, one text per call; the best of 3 rounds over `texts`. */
async function throughput(texts: readonly string[], detect: (t: string) => Promise<string>): Promise<number> {
  for (const t of texts.slice(0, 200)) await detect(t);
  let best = 0;
  for (let round = 0; round < 3; round++) {
    const c0 = process.cpuUsage();
    for (const t of texts) await detect(t);
    const c = process.cpuUsage(c0);
    best = Math.max(best, texts.length / ((c.user + c.system) / 1e6));
  }
  return best;
}

async function batchThroughput(texts: readonly string[], detect: (t: readonly string[]) => Promise<string[]>, size: number): Promise<number> {
  let best = 0;
  for (let round = 0; round < 3; round++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < texts.length; i += size) await detect(texts.slice(i, i + size));
    const c = process.cpuUsage(c0);
    best = Math.max(best, texts.length / ((c.user + c.system) / 1e6));
  }
  return best;
}

function topConfusions(s: Scored, lang: string, k = 2): string {
  return [...s.confusions.entries()]
    .filter(([key]) => key.startsWith(`${lang}→`))
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, k)
    .map(([key, n]) => `${key.split("→")[1]} ${n}`)
    .join(", ");
}

runSuite("langid", "Language identification vs franc, eld, tinyld", async (ctx) => {
  const manifest = readManifest();
  const items = loadLangidSet();
  const labels = manifest.labels;
  const byKind = (kind: Kind, langs?: ReadonlySet<string>) => items.filter((i) => i.kind === kind && (!langs || langs.has(i.lang)));
  ctx.log(`${items.length} eval items in ${new Set(items.map((i) => i.lang)).size} languages; variants ${manifest.variants.map((v) => v.name).join(", ")}`);

  const pareto = await Promise.all(manifest.variants.map(async (v) => paretoSystem(await loadParetoModel(path.join(LANGID_DIR, v.file)))));
  const peers = [await francSystem(), await eldSystem(), await tinyldSystem()];
  const systems: LangidSystem[] = [...pareto, ...peers];
  const batchOf = (s: LangidSystem) => pareto.find((p) => p === s)?.detectBatch;
  const defaultId = `pareto-${manifest.default}`;

  // ---- accuracy, two views ----
  const shared = new Set(labels.filter((l) => peers.every((p) => p.languages.has(l))));
  const results = new Map<string, Record<string, Scored>>(); // `${view}/${kind}` → system id → score
  for (const view of ["all", "shared"] as const) {
    for (const s of systems) s.restrict(view === "all" ? labels.filter((l) => s.languages.has(l)) : [...shared]);
    for (const kind of KINDS) {
      const set = byKind(kind, view === "all" ? undefined : shared);
      const row: Record<string, Scored> = {};
      for (const s of systems) row[s.id] = await score(s, set, batchOf(s));
      results.set(`${view}/${kind}`, row);
      ctx.log(`${view}/${kind}: ${systems.map((s) => `${s.id} ${pct(row[s.id].accuracy, 1)}`).join(", ")}`);
    }
  }
  const accRows = systems.map((s) => {
    const v = manifest.variants.find((x) => `pareto-${x.name}` === s.id);
    return [
      s.label + (s.id === defaultId ? " — default" : ""),
      String([...s.languages].filter((l) => labels.includes(l)).length),
      ...(["all", "shared"] as const).flatMap((view) => KINDS.map((k) => pct(results.get(`${view}/${k}`)![s.id].accuracy, 1))),
      v ? `${fixed(v.bytes / 1024 / 1024, 2)} MiB` : "",
    ];
  });
  const nAll = byKind("sentence").length;
  const nShared = byKind("sentence", shared).length;
  ctx.table({
    title: `Accuracy (sentences: ${nAll} in ${labels.length} labels' languages; shared: ${nShared} in the ${shared.size} languages every system knows)`,
    columns: ["system", "our langs it knows", "all: sentences", "all: two words", "shared: sentences", "shared: two words", "size"],
    rows: accRows,
    notes: [
      "all: each system restricted to our labels it knows, scored on every item (an unknown language is its miss); shared: all restricted to the shared languages, scored on their items",
      `shared languages: ${[...shared].join(" ")}`,
    ],
  });

  // ---- per-language summary (all-languages view) ----
  const def = results.get("all/sentence")![defaultId];
  const def2 = results.get("all/two-words")![defaultId];
  const langRows = [...def.perLang.keys()].sort().map((lang) => {
    const [a, n] = def.perLang.get(lang)!;
    const [a2, n2] = def2.perLang.get(lang)!;
    const peer = (id: string) => {
      const s = results.get("all/sentence")![id];
      const known = peers.find((p) => p.id === id)!.languages.has(lang);
      const [pa, pn] = s.perLang.get(lang)!;
      return known ? pct(pa / pn, 0) : "—";
    };
    return [lang, String(n), pct(a / n, 0), topConfusions(def, lang), pct(a2 / n2, 0), topConfusions(def2, lang), peer("franc"), peer("eld"), peer("tinyld")];
  });
  ctx.table({
    title: `Per language (${defaultId}; peers: sentences; — = the peer does not know the language)`,
    columns: ["lang", "n", "sentences", "confused with", "two words", "confused with", "franc", "eld", "tinyld"],
    rows: langRows,
  });

  // ---- throughput ----
  for (const s of systems) s.restrict(labels.filter((l) => s.languages.has(l)));
  const sentences = byKind("sentence").map((i) => i.text);
  const speed: Record<string, number> = {};
  const speedRows: string[][] = [];
  for (const s of systems) {
    speed[s.id] = await throughput(sentences, (t) => s.detectOne(t));
    const b = batchOf(s);
    const batched = b ? await batchThroughput(sentences, b, 64) : NaN;
    speedRows.push([s.label, fixed(speed[s.id], 0), b ? fixed(batched, 0) : ""]);
    ctx.log(`throughput ${s.id}: ${fixed(speed[s.id], 0)}/s`);
  }
  ctx.table({
    title: `Single-thread throughput on ${sentences.length} sentences (texts per CPU-second, best of 3)`,
    columns: ["system", "one text per call", "batches of 64"],
    rows: speedRows,
  });

  // ---- targets (default variant) ----
  for (const kind of KINDS) {
    const all = results.get(`all/${kind}`)!;
    const sh = results.get(`shared/${kind}`)!;
    const mine = all[defaultId].accuracy;
    ctx.target({ target: `${kind === "sentence" ? "sentences" : "two-word inputs"} ≥ ${pct(GOAL[kind], 0)} (default variant, all languages)`, measured: pct(mine, 2), met: mine >= GOAL[kind] });
    for (const [view, row] of [["all languages", all], ["shared languages", sh]] as const) {
      const bestPeer = peers.reduce((b, p) => (row[p.id].accuracy > row[b.id].accuracy ? p : b));
      ctx.target({
        target: `${kind === "sentence" ? "sentences" : "two-word inputs"}: above every peer (${view})`,
        measured: `${pct(row[defaultId].accuracy, 2)} vs ${bestPeer.id} ${pct(row[bestPeer.id].accuracy, 2)}`,
        met: row[defaultId].accuracy > row[bestPeer.id].accuracy,
      });
    }
  }
  ctx.target({ target: "single-thread throughput ≥ franc's", measured: `${fixed(speed[defaultId], 0)} vs ${fixed(speed.franc, 0)} texts/s`, met: speed[defaultId] >= speed.franc });

  ctx.data("langid", {
    shared: [...shared],
    accuracy: Object.fromEntries([...results].map(([k, row]) => [k, Object.fromEntries(Object.entries(row).map(([id, s]) => [id, { accuracy: s.accuracy, macro: s.macro, n: s.n }]))])),
    throughput: speed,
  });
});
