/**
 * The committed langid variants and how each is trained: Pareto's own trainer (trainTextClassifier) on samples made
 * from the committed corpus, with a fixed configuration per variant instead of the time-boxed search, so that a
 * re-run gives the same bytes (the search's budget only decides how far a search gets; here there is none).
 *
 * scripts/train-langid.ts writes models/langid/<variant>.onnx + manifest.json with this; the reproducibility test
 * (tests/unit/langid/reproducible.test.ts) re-trains the smallest variant with it and compares the sha256.
 */
import crypto from "node:crypto";
import path from "node:path";
import { linear, mlp, type TrainConfig } from "@/lib/training/configs";
import { trainTextClassifier, type TrainedCandidate } from "@/lib/training/train";
import { LABELS } from "./languages";
import { buildSamples, readCorpus } from "./samples";

export const SEED = 1;
export const LANGID_DIR = path.resolve(import.meta.dirname, "../../models/langid");
export const CORPUS_FILE = path.join(LANGID_DIR, "train-corpus.jsonl.gz");
/** Samples per language (half whole texts, half one-to-three-word windows): ~255 k in all. */
export const SAMPLES = { seed: SEED, perLabel: 3000, fullShare: 0.5 } as const;

export interface VariantDef {
  name: string;
  /** What it is for, for the manifest and docs. */
  role: string;
  config: TrainConfig;
}

function withEpochs(c: TrainConfig, maxEpochs: number, patience: number): TrainConfig {
  return { ...c, maxEpochs, patience };
}

/** Rows the trainer trains on (its 5,000-row hold-out set aside): only decides the batch size here (≥ 2,000 → 128). */
const CTX = { classes: LABELS.length, rows: LABELS.length * SAMPLES.perLabel - 5000 };

/** Smallest first (the reproducibility test trains VARIANTS[0]). */
export const VARIANTS: readonly VariantDef[] = [
  {
    name: "small",
    role: "fastest and smallest: char 1–3-grams and words into 2^12 buckets, linear",
    config: withEpochs(linear(CTX, { char: [1, 3], word: [1, 1], bucketsLog2: 12 }), 6, 2),
  },
  {
    name: "medium",
    role: "char 1–4-grams and words into 2^13 buckets, linear",
    config: withEpochs(linear(CTX, { char: [1, 4], word: [1, 1], bucketsLog2: 13 }), 8, 2),
  },
  {
    name: "large",
    role: "char 1–4-grams and words into 2^15 buckets, one hidden layer of 24",
    config: withEpochs(mlp(CTX, { char: [1, 4], word: [1, 1], bucketsLog2: 15 }, 24), 8, 2),
  },
];

export function trainingData(): { texts: string[]; labels: string[] } {
  return buildSamples(readCorpus(CORPUS_FILE), LABELS, SAMPLES);
}

export interface TrainedVariant {
  def: VariantDef;
  candidate: TrainedCandidate;
  sha256: string;
}

/** Trains one variant: deterministic for the corpus, the samples' seed and the trainer's code. */
export function trainVariant(def: VariantDef, data: { texts: string[]; labels: string[] }, onProgress?: (msg: string) => void): TrainedVariant {
  let last = -1;
  const result = trainTextClassifier(data, {
    // No deadline in practice: every configured epoch runs, so the result does not depend on the machine's speed.
    budgetS: 1e7,
    objective: "most_accurate",
    seed: SEED,
    configs: [def.config],
    onProgress: (p) => {
      const pct = Math.floor(p.fraction * 100);
      if (onProgress && pct !== last) {
        last = pct;
        onProgress(`${def.name}: ${p.phase} ${pct} %${p.epoch ? ` epoch ${p.epoch}` : ""}${p.validLoss ? ` valid loss ${p.validLoss.toFixed(4)}` : ""}`);
      }
    },
  });
  const candidate = result.candidates.find((c) => c.name === def.config.name) ?? result.candidates[0];
  return { def, candidate, sha256: crypto.createHash("sha256").update(candidate.onnx).digest("hex") };
}
