/** Request and response schemas of the selection endpoints: frontier, benchmark runs, promotion. */
import { z } from "zod";

export const taskQuery = z.strictObject({
  task: z.enum(["ocr", "vad", "text"]).describe("The task whose variants to compare."),
  family: z
    .string()
    .max(64)
    .regex(/^[a-z0-9][a-z0-9-]*$/, { error: "family must be a model family or a text model's id" })
    .optional()
    .describe("Text only: one family's variants (default `langid`, the language identifier; a trained model's id for its versions)."),
});

const nullableNumber = z.number().nullable();

export const frontierPoint = z.object({
  model: z.string().describe("The servable: a built-in's id, or `<model>@<version>` for an uploaded version."),
  model_id: z.string(),
  version: z.string().nullable().describe("The uploaded version (null for a built-in)."),
  built_in: z.boolean(),
  name: z.string(),
  label: z.string().describe("The chart's label: a built-in's id, an uploaded version's `<name> · <version>`."),
  default: z.boolean(),
  enabled: z.boolean(),
  accuracy: z.number().describe("Task accuracy on the eval set: 1 − CER (OCR) or frame F1 at 10 ms (VAD)."),
  accuracy_metric: z.string(),
  detail: z.record(z.string(), z.number()).describe("cer, cer_no_spaces (OCR); precision, recall, f1 (VAD)."),
  p50_ms: nullableNumber,
  p95_ms: z.number().describe("p95 end-to-end runtime latency at the stated concurrency."),
  p99_ms: nullableNumber,
  latency: z.array(z.object({ concurrency: z.number(), p50_ms: nullableNumber, p95_ms: nullableNumber, p99_ms: nullableNumber, throughput_rps: nullableNumber, samples: nullableNumber })),
  memory_mb: nullableNumber.describe("Peak RSS added while loaded and under load."),
  cold_load_ms: nullableNumber,
  file_size_bytes: nullableNumber,
  opset: nullableNumber,
  dynamic_axes: nullableNumber,
  custom_ops: nullableNumber.describe("Operators outside the standard ONNX domains."),
  on_frontier: z.boolean().describe("Pareto-optimal for accuracy vs p95 latency."),
  dominated_by: z.array(z.string()),
  tied_with: z.array(z.string()),
  on_memory_frontier: z.boolean().nullable().describe("Pareto-optimal for accuracy vs memory."),
  deployability: nullableNumber.describe("0–100, see lib/selection/deployability.ts."),
  license: z.string(),
  measured_at: z.string().nullable(),
  conditions: z.object({ accuracy: z.record(z.string(), z.unknown()).nullable(), latency: z.record(z.string(), z.unknown()).nullable() }),
});

const hostOut = z.object({
  fingerprint: z.string(),
  description: z.string(),
  cpu_model: z.string(),
  cores: z.number(),
  memory_mb: z.number(),
  onnxruntime: z.string(),
  node: z.string(),
});

export const frontierOutput = z.object({
  object: z.literal("selection.frontier"),
  task: z.enum(["ocr", "vad", "text"]),
  concurrency: z.number().describe("Concurrency of the latency axis."),
  host: hostOut.describe("This host: only its figures are used."),
  other_hosts: z.array(z.object({ fingerprint: z.string(), description: z.string(), measured_at: z.string() })).describe("Hosts with figures that are not shown."),
  points: z.array(frontierPoint),
  unmeasured: z.array(z.string()),
});

export type FrontierOutput = z.output<typeof frontierOutput>;
export type FrontierPointOutput = z.output<typeof frontierPoint>;

export const benchmarkStart = z.strictObject({
  mode: z.enum(["quick", "full"]).default("quick"),
  models: z.array(z.string().max(64)).min(1).max(32).optional().describe("Catalog ids; all variants when omitted."),
});

const stepOut = z.object({
  name: z.string(),
  status: z.enum(["pending", "running", "done", "failed", "skipped", "cancelled"]),
  done: z.number().optional(),
  total: z.number().optional(),
  ms: z.number().optional(),
  error: z.string().optional(),
});

export const benchmarkRunOutput = z.object({
  id: z.string(),
  object: z.literal("benchmark_run"),
  status: z.enum(["running", "cancelling", "cancelled", "succeeded", "failed"]),
  mode: z.enum(["quick", "full"]),
  host_fingerprint: z.string(),
  fraction_done: z.number(),
  models: z.array(z.object({ id: z.string(), task: z.string(), steps: z.array(stepOut) })),
  current: z.object({ model: z.string(), step: z.string() }).nullable(),
  error: z.string().nullable(),
  started_by: z.string().nullable(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
});

export type BenchmarkRunOutput = z.output<typeof benchmarkRunOutput>;

export const promotionOutput = z.object({
  object: z.literal("promotion"),
  model: z.string(),
  task: z.enum(["ocr", "vad", "text"]),
  promoted: z.boolean(),
  previous_default: z.string(),
  reasons: z.array(z.string()),
  benchmarked: z.boolean().describe("Whether fresh figures had to be measured first."),
  tolerances: z.object({ accuracy: z.number(), latency: z.number() }),
});
