/**
 * Regenerates the built-in language identifier: models/langid/<variant>.onnx and models/langid/manifest.json.
 *
 *   npx tsx scripts/train-langid.ts [--only small,medium]
 *
 * Trains each variant of scripts/langid/variants.ts with Pareto's trainer on samples of the committed corpus
 * (models/langid/train-corpus.jsonl.gz; rebuilt, when its sources change, by scripts/langid/build-corpus.ts).
 * Deterministic: the same corpus, seed and trainer code give the same bytes (tests/unit/langid/reproducible.test.ts
 * checks the smallest variant). A change to the featurizer or the trainer changes the bytes: re-run this and commit.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { LangidManifest, LangidVariant } from "../bench/langid/manifest";
import { LABELS } from "./langid/languages";
import { readCorpus } from "./langid/samples";
import { CORPUS_FILE, LANGID_DIR, SAMPLES, SEED, trainingData, trainVariant, VARIANTS } from "./langid/variants";

/** The variant served by default (alias langid-default): the most accurate on the hold-out and on the eval set. */
const DEFAULT = "medium";
const MANIFEST = path.join(LANGID_DIR, "manifest.json");

function main() {
  const argv = process.argv.slice(2);
  const i = argv.indexOf("--only");
  const only = i >= 0 ? argv[i + 1].split(",") : VARIANTS.map((v) => v.name);
  const t0 = performance.now();
  const data = trainingData();
  process.stderr.write(`[train-langid] ${data.texts.length} samples in ${LABELS.length} languages\n`);
  const previous: LangidManifest | null = fs.existsSync(MANIFEST) ? (JSON.parse(fs.readFileSync(MANIFEST, "utf8")) as LangidManifest) : null;
  const variants: LangidVariant[] = [];
  for (const def of VARIANTS) {
    if (!only.includes(def.name)) {
      const kept = previous?.variants.find((v) => v.name === def.name);
      if (kept) variants.push(kept);
      continue;
    }
    const t = performance.now();
    const { candidate, sha256 } = trainVariant(def, data, (m) => process.stderr.write(`\r[train-langid] ${m}      `));
    const file = `${def.name}.onnx`;
    fs.writeFileSync(path.join(LANGID_DIR, file), candidate.onnx);
    variants.push({
      name: def.name,
      file,
      sha256,
      bytes: candidate.onnx.byteLength,
      kind: candidate.kind,
      featurizer: candidate.spec.featurizer,
      hyper: candidate.hyper,
      holdout: { accuracy: candidate.metrics.accuracy, macroF1: candidate.metrics.macroF1 },
    });
    process.stderr.write(
      `\n[train-langid] ${def.name} (${candidate.name}): hold-out accuracy ${(candidate.metrics.accuracy * 100).toFixed(2)} %, ${(candidate.onnx.byteLength / 1048576).toFixed(2)} MiB, ${((performance.now() - t) / 1000).toFixed(0)} s\n`,
    );
  }
  const manifest: LangidManifest = {
    default: DEFAULT,
    seed: SEED,
    labels: [...LABELS],
    corpus: {
      file: path.basename(CORPUS_FILE),
      sha256: crypto.createHash("sha256").update(fs.readFileSync(CORPUS_FILE)).digest("hex"),
      texts: readCorpus(CORPUS_FILE).length,
    },
    samples: { ...SAMPLES },
    trainingSamples: data.texts.length,
    variants,
  };
  fs.writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
  process.stderr.write(`[train-langid] wrote ${variants.length} variants and manifest.json in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
}

main();
