import { z } from "zod";

const tensor = z.object({ name: z.string(), datatype: z.string(), shape: z.array(z.number()) });

/** A tensor as read from an ONNX file; a dynamic axis is -1 or the name the graph gives it. */
export const signatureTensor = z.object({ name: z.string(), datatype: z.string(), shape: z.array(z.union([z.number(), z.string()])) });

/** What was read from one ONNX file of a version (opset, IR version, producer and operators: uploads only). */
export const fileSignature = z.object({
  role: z.string().describe("model | det | rec | cls (a built-in's file: its weight key)."),
  opset: z.number().nullable(),
  ir_version: z.number().nullable(),
  producer: z.string().nullable(),
  ops: z.array(z.string()),
  inputs: z.array(signatureTensor),
  outputs: z.array(signatureTensor),
});

export const VERSION_STATUSES = ["validating", "measuring", "ready", "failed"] as const;

/** A version as the catalog lists it. */
export const versionSummary = z.object({
  version: z.string(),
  status: z.enum(VERSION_STATUSES),
  traffic_percent: z.number().int().describe("Share of the requests naming the model (the shares sum to 100)."),
});

const ngrams = z.tuple([z.number().int(), z.number().int()]).nullable();

/** What a text classifier carries in its ONNX metadata: its labels (the order of its output) and its featurizer. */
export const textSpecOutput = z
  .object({
    kind: z.enum(["linear", "mlp"]).describe("Multinomial logistic regression, or an MLP with one hidden layer."),
    labels: z.array(z.string()).describe("Every label the model can answer, in the order of its output."),
    featurizer: z.object({
      buckets: z.number().int().describe("Hash buckets the n-grams fall into (a power of two)."),
      char: ngrams.describe("Character n-gram lengths [min, max] over each word, or null."),
      word: ngrams.describe("Word n-gram lengths [min, max], or null."),
      max_features: z.number().int().describe("Most distinct features kept per text."),
    }),
  })
  .describe("A text classifier's labels and how text is turned into its inputs (task `text` only; null otherwise).");

/** A version on the model card: its files with their SHA-256, their signature, and this host's headline figures. */
export const versionDetail = versionSummary.extend({
  status_reason: z.string().nullable(),
  created_at: z.string(),
  size_bytes: z.number().int(),
  files: z.array(z.object({ role: z.string(), name: z.string(), sha256: z.string().nullable(), bytes: z.number().nullable() })),
  signature: z.array(fileSignature),
  figures: z
    .object({
      p95_ms: z.number().nullable().describe("p95 latency at concurrency 1."),
      accuracy: z.number().nullable(),
      macro_f1: z.number().nullable().describe("A text classifier's F1 per label, averaged over the labels of its eval set."),
      mae: z.number().nullable().describe("Mean absolute error (a tensor model scored with `mae`)."),
      cold_load_ms: z.number().nullable(),
      memory_mb: z.number().nullable(),
    })
    .nullable()
    .describe("This host's latest measurement of the version; null until it has been measured."),
  text: textSpecOutput.nullable().describe("This version's labels and featurizer (a text model's versions may differ); null for other tasks."),
});

export const modelOutput = z.object({
  id: z.string(),
  object: z.literal("model"),
  task: z.enum(["ocr", "vad", "tensor", "text"]),
  modality: z.enum(["image", "audio", "tensor", "text"]),
  family: z.string(),
  version: z.string().describe("The version most requests reach (the largest traffic share)."),
  variant: z.string(),
  name: z.string(),
  description: z.string(),
  license: z.string(),
  source: z.string(),
  default: z.boolean().describe("The task's default model (used for `ocr-default` / `vad-default` / `langid-default`)."),
  enabled: z.boolean(),
  status: z.enum(["UNLOADED", "LOADING", "READY", "FAILED"]),
  status_reason: z.string().nullable(),
  size_bytes: z.number().int().describe("Total size of the model's files on disk."),
  options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  built_in: z.boolean().describe("Shipped with Pareto (read-only); false for an uploaded model."),
  versions: z.array(versionSummary),
  text: textSpecOutput.nullable().describe("A text classifier's labels (ISO 639-1 codes for the language identifier) and featurizer (its main version's); null for other tasks."),
});

export const benchmarkOutput = z.object({
  metric: z.string(),
  value: z.number(),
  unit: z.string().nullable(),
  conditions: z.unknown(),
  host_fingerprint: z.string(),
  measured_at: z.string(),
});

export const modelDetailOutput = modelOutput.extend({
  files: z.array(z.object({ key: z.string(), path: z.string(), bytes: z.number().nullable() })),
  inputs: z.array(z.object({ weight: z.string(), inputs: z.array(tensor) })),
  outputs: z.array(z.object({ weight: z.string(), outputs: z.array(tensor) })),
  benchmarks: z.array(benchmarkOutput),
  versions: z.array(versionDetail),
});

export type ModelOutput = z.output<typeof modelOutput>;
export type ModelDetail = z.output<typeof modelDetailOutput>;
export type FileSignature = z.output<typeof fileSignature>;
export type VersionDetail = z.output<typeof versionDetail>;
export type TextSpecOutput = z.output<typeof textSpecOutput>;
