import { z } from "zod";

const tensor = z.object({ name: z.string(), datatype: z.string(), shape: z.array(z.number()) });

export const modelOutput = z.object({
  id: z.string(),
  object: z.literal("model"),
  task: z.enum(["ocr", "vad"]),
  modality: z.enum(["image", "audio"]),
  family: z.string(),
  version: z.string(),
  variant: z.string(),
  name: z.string(),
  description: z.string(),
  license: z.string(),
  source: z.string(),
  default: z.boolean().describe("The task's default model (used for `ocr-default` / `vad-default`)."),
  enabled: z.boolean(),
  status: z.enum(["UNLOADED", "LOADING", "READY", "FAILED"]),
  status_reason: z.string().nullable(),
  size_bytes: z.number().int().describe("Total size of the model's files on disk."),
  options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
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
});

export type ModelOutput = z.output<typeof modelOutput>;
