/**
 * What a text classifier's ONNX file says about itself beyond its tensors: its labels (the order of the output's C
 * axis), how to featurize text for it, and its kind. It travels inside the file (metadata key `pareto.text`) so an
 * uploaded or trained model is self-describing, and the registry keeps a copy in the version's options.
 */
import { ServiceError } from "@/lib/models/errors";
import type { FeaturizerConfig } from "./featurize";

export const TEXT_METADATA_KEY = "pareto.text";

export type TextModelKind = "linear" | "mlp";

export interface TextModelSpec {
  labels: string[];
  featurizer: FeaturizerConfig;
  kind: TextModelKind;
}

/** Bounds a featurizer config must keep (the trainer's search stays well inside them). */
export const FEATURIZER_LIMITS = {
  minBucketsLog2: 10,
  maxBucketsLog2: 22,
  maxCharN: 8,
  maxWordN: 4,
  maxFeatures: 65_536,
  maxLabels: 10_000,
  maxLabelLength: 256,
} as const;

function invalid(message: string): ServiceError {
  return new ServiceError("invalid_model", `The model's ${TEXT_METADATA_KEY} metadata is invalid: ${message}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function range(v: unknown, name: string, max: number): [number, number] | null {
  if (v === null) return null;
  if (!Array.isArray(v) || v.length !== 2 || !v.every((n) => Number.isInteger(n))) throw invalid(`featurizer.${name} must be null or [min, max] integers.`);
  const [lo, hi] = v as number[];
  if (lo < 1 || hi < lo || hi > max) throw invalid(`featurizer.${name} must satisfy 1 ≤ min ≤ max ≤ ${max} (got [${lo}, ${hi}]).`);
  return [lo, hi];
}

/** Checks a featurizer config; throws ServiceError("invalid_model") naming the first fault. */
export function validateFeaturizer(v: unknown): FeaturizerConfig {
  if (!isRecord(v)) throw invalid("featurizer must be an object.");
  const { buckets, maxFeatures } = v;
  const L = FEATURIZER_LIMITS;
  if (typeof buckets !== "number" || !Number.isInteger(buckets) || buckets < 2 ** L.minBucketsLog2 || buckets > 2 ** L.maxBucketsLog2 || (buckets & (buckets - 1)) !== 0) {
    throw invalid(`featurizer.buckets must be a power of two from 2^${L.minBucketsLog2} to 2^${L.maxBucketsLog2}.`);
  }
  if (typeof maxFeatures !== "number" || !Number.isInteger(maxFeatures) || maxFeatures < 1 || maxFeatures > L.maxFeatures) {
    throw invalid(`featurizer.maxFeatures must be an integer from 1 to ${L.maxFeatures}.`);
  }
  if (!("char" in v) || !("word" in v)) throw invalid("featurizer needs both char and word (null for none).");
  const char = range(v.char, "char", L.maxCharN);
  const word = range(v.word, "word", L.maxWordN);
  if (!char && !word) throw invalid("featurizer needs character or word n-grams (both are null).");
  return { buckets, char, word, maxFeatures };
}

/** Checks a parsed spec (the shape the trainer writes); throws ServiceError("invalid_model"). */
export function validateTextSpec(v: unknown): TextModelSpec {
  if (!isRecord(v)) throw invalid("it must be a JSON object.");
  const { labels, kind } = v;
  if (!Array.isArray(labels) || labels.length < 2 || labels.length > FEATURIZER_LIMITS.maxLabels) {
    throw invalid(`labels must be an array of 2 to ${FEATURIZER_LIMITS.maxLabels} strings.`);
  }
  for (const l of labels) {
    if (typeof l !== "string" || l.length === 0 || l.length > FEATURIZER_LIMITS.maxLabelLength) {
      throw invalid(`every label must be a non-empty string of at most ${FEATURIZER_LIMITS.maxLabelLength} characters.`);
    }
  }
  if (new Set(labels).size !== labels.length) throw invalid("labels must be distinct.");
  if (kind !== "linear" && kind !== "mlp") throw invalid('kind must be "linear" or "mlp".');
  return { labels: [...(labels as string[])], featurizer: validateFeaturizer(v.featurizer), kind };
}

/** Parses and validates the `pareto.text` metadata value. */
export function parseTextSpec(json: string): TextModelSpec {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    throw invalid("it is not JSON.");
  }
  return validateTextSpec(v);
}

/** The registry keeps a version's spec in its options under this name (JSON), for the entry workers run. */
export const TEXT_SPEC_OPTION = "textSpec";
