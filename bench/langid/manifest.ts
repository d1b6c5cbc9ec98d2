/**
 * models/langid/manifest.json: what scripts/train-langid.ts wrote — the variants (file, sha256, featurizer, metrics
 * on its hold-out), the corpus they were trained on and the default. The bench, the tests and the catalog read it.
 */
import fs from "node:fs";
import path from "node:path";
import type { FeaturizerConfig } from "@/lib/models/text/featurize";

export const LANGID_DIR = path.resolve(__dirname, "../../models/langid");
export const MANIFEST_FILE = path.join(LANGID_DIR, "manifest.json");

export interface LangidVariant {
  name: string;
  file: string;
  sha256: string;
  bytes: number;
  kind: "linear" | "mlp";
  featurizer: FeaturizerConfig;
  hyper: Record<string, number>;
  holdout: { accuracy: number; macroF1: number };
}

export interface LangidManifest {
  default: string;
  seed: number;
  labels: string[];
  corpus: { file: string; sha256: string; texts: number };
  samples: { seed: number; perLabel: number; fullShare: number };
  trainingSamples: number;
  variants: LangidVariant[];
}

export function readManifest(file = MANIFEST_FILE): LangidManifest {
  return JSON.parse(fs.readFileSync(file, "utf8")) as LangidManifest;
}
