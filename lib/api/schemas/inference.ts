/**
 * Request and response schemas of the inference endpoints. The handlers parse with these, and the OpenAPI
 * document is generated from the same objects, so the contract and the code cannot drift apart.
 */
import { z } from "zod";
import { messageOut } from "./message";

/** Multipart fields arrive as strings: accept "true"/"false"/"1"/"0" where JSON would send a boolean. */
export const bool = z.preprocess((v) => (v === "true" || v === "1" ? true : v === "false" || v === "0" ? false : v), z.boolean());
export const num = (schema: z.ZodNumber) => z.preprocess((v) => (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v)) ? Number(v) : v), schema);

/**
 * Media types of a raw body — the file itself as the request body, options in the query string — per input. The
 * pipelines identify the format by its bytes (lib/models/ocr/decode-image.ts, lib/models/vad/wav-header.ts): the
 * type routes the request, it is not trusted as the format.
 */
export const RAW_MEDIA_TYPES = {
  audio: ["audio/wav", "audio/wave", "audio/x-wav", "audio/vnd.wave"],
  image: ["image/png", "image/jpeg", "image/webp"],
} as const satisfies Record<"audio" | "image", readonly string[]>;

export const modelParam = z
  .string()
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, { error: "model must be a model id (see GET /api/v1/models), a task alias such as ocr-default, or auto" })
  .optional()
  .describe("A model id, a task alias (`ocr-default`), or `auto`. Defaults to the task's default model.");

export const ocrOptions = z.strictObject({
  model: modelParam,
  det_limit_side: num(z.number().int().min(32).max(4096)).optional().describe("Longest side of the detection input, px."),
  use_angle_cls: bool.optional().describe("Classify each line 0°/180° and flip upside-down text."),
  box_thresh: num(z.number().min(0).max(1)).optional().describe("Minimum mean text probability inside a box."),
  thresh: num(z.number().gt(0).max(1)).optional().describe("Binarisation threshold of the probability map."),
  unclip_ratio: num(z.number().min(0.5).max(5)).optional().describe("How far detected boxes are grown."),
  min_score: num(z.number().min(0).max(1)).optional().describe("Drop lines recognised with lower confidence."),
  max_latency_ms: num(z.number().positive()).optional().describe("With model=auto: p95 latency bound."),
  min_accuracy: num(z.number().min(0).max(1)).optional().describe("With model=auto: minimum accuracy (1 − CER)."),
  max_memory_mb: num(z.number().positive()).optional().describe("With model=auto: memory bound."),
  objective: z.enum(["fastest", "most_accurate", "balanced"]).optional().describe("With model=auto: what to optimise."),
});

export const vadOptions = z.strictObject({
  model: modelParam,
  threshold: num(z.number().gt(0).lt(1)).optional().describe("Speech probability threshold."),
  min_speech_ms: num(z.number().int().min(0).max(60_000)).optional(),
  min_silence_ms: num(z.number().int().min(0).max(60_000)).optional(),
  speech_pad_ms: num(z.number().int().min(0).max(10_000)).optional(),
  return_probabilities: bool.optional().describe("Include per-frame (32 ms) speech probabilities."),
  max_latency_ms: num(z.number().positive()).optional(),
  min_accuracy: num(z.number().min(0).max(1)).optional().describe("With model=auto: minimum F1."),
  max_memory_mb: num(z.number().positive()).optional(),
  objective: z.enum(["fastest", "most_accurate", "balanced"]).optional(),
});

export type OcrRequestOptions = z.output<typeof ocrOptions>;
export type VadRequestOptions = z.output<typeof vadOptions>;

export const usageOut = z.object({
  compute_ms: z.number().describe("Measured inference time billed to the quota."),
  units: z.number().describe("Images (OCR) or audio seconds (VAD)."),
});

export const selectionOut = z.object({
  model: z.string(),
  reason: z.string(),
  reason_message: messageOut.optional(),
  candidates: z.array(z.object({ model: z.string(), eligible: z.boolean(), violates: z.array(z.string()), p95_ms: z.number().nullable(), accuracy: z.number().nullable(), memory_mb: z.number().nullable() })),
});

const point = z.tuple([z.number(), z.number()]);

export const ocrResponse = z.object({
  id: z.string(),
  object: z.literal("ocr.result"),
  model: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  lines: z.array(z.object({ text: z.string(), confidence: z.number(), box: z.array(point).length(4) })),
  usage: usageOut,
  selection: selectionOut.optional(),
});

export const vadResponse = z.object({
  id: z.string(),
  object: z.literal("vad.result"),
  model: z.string(),
  duration_s: z.number(),
  sample_rate: z.number().int(),
  segments: z.array(z.object({ start: z.number(), end: z.number() })),
  probabilities: z.array(z.number()).optional(),
  usage: usageOut,
  selection: selectionOut.optional(),
});

/** `model` of /api/v1/classify: as elsewhere, plus a pinned version (`id@version`) — trained candidates are versions. */
const classifyModel = z
  .string()
  .max(97)
  .regex(/^[a-z0-9][a-z0-9-]*(@[A-Za-z0-9][A-Za-z0-9._-]{0,31})?$/, { error: "model must be a model id, id@version, a task alias such as langid-default, or auto" })
  .optional()
  .describe("A text model's id, `id@version`, the alias `langid-default`, or `auto`. Defaults to `langid-default`.");

export const classifyInput = z.strictObject({
  model: classifyModel,
  input: z
    .union([
      z.string().min(1, { error: "input must not be empty" }).max(10_000, { error: "each input is at most 10,000 characters" }),
      z
        .array(z.string().min(1, { error: "input items must not be empty" }).max(10_000, { error: "each input is at most 10,000 characters" }))
        .min(1, { error: "input must hold at least one text" })
        .max(256, { error: "input holds at most 256 texts" }),
    ])
    .describe("One text, or up to 256 texts of at most 10,000 characters each."),
  top_k: z.number().int().min(1).max(20).optional().describe("How many labels to return per text, best first (1–20, default 1)."),
  family: z
    .string()
    .max(64)
    .regex(/^[a-z0-9][a-z0-9-]*$/, { error: "family must be a model family or a text model's id" })
    .optional()
    .describe("With model=auto: choose among this family's variants or this model's versions (default `langid`)."),
  max_latency_ms: z.number().positive().optional().describe("With model=auto: p95 latency bound."),
  min_accuracy: z.number().min(0).max(1).optional().describe("With model=auto: minimum accuracy on the model's eval set."),
  max_memory_mb: z.number().positive().optional().describe("With model=auto: memory bound."),
  objective: z.enum(["fastest", "most_accurate", "balanced"]).optional().describe("With model=auto: what to optimise."),
});

export type ClassifyRequest = z.output<typeof classifyInput>;

const labelScore = z.object({ label: z.string(), score: z.number() });

export const classifyResponse = z.object({
  id: z.string(),
  object: z.literal("classification"),
  model: z.string(),
  data: z.array(z.object({ index: z.number().int(), label: z.string(), score: z.number(), labels: z.array(labelScore) })),
  usage: z.object({ compute_ms: z.number().describe("Measured inference time billed to the quota."), units: z.number().describe("Texts classified.") }),
  selection: selectionOut.optional(),
});
