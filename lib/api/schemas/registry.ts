import { z } from "zod";

/** Model ids: what requests name, so URL- and header-safe; no `@` (it pins a version) and no `.` (KServe weights). */
export const MODEL_ID = /^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$/;
export const VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

const flag = z.enum(["true", "false"], { error: 'must be "true" or "false"' }).transform((v) => v === "true");
const text = (max: number) => z.string().max(max, { error: `at most ${max} characters` });

const version = z.string().regex(VERSION, { error: "letters, digits, '.', '_' and '-', at most 32, starting with a letter or digit" });

/** The text fields of `POST /api/v1/admin/models` (files are parts of the same form). */
export const uploadFields = z.strictObject({
  id: z.string().regex(MODEL_ID, { error: "lowercase letters, digits and hyphens, 3–64 characters, starting and ending with a letter or digit" }),
  task: z.enum(["tensor", "vad", "ocr", "text"], { error: "must be tensor, vad, ocr or text" }),
  name: text(100).optional(),
  version: version.default("1"),
  license: text(100).optional(),
  description: text(2000).optional(),
  sticky: flag.optional(),
  eval_metric: z.enum(["accuracy", "mae"], { error: "must be accuracy or mae" }).optional(),
});

/** The text fields of `POST /api/v1/admin/models/{id}/versions`. */
export const versionFields = z.strictObject({
  version,
  eval_metric: z.enum(["accuracy", "mae"], { error: "must be accuracy or mae" }).optional(),
});

export const modelPatch = z
  .strictObject({
    traffic: z.record(z.string().regex(VERSION), z.number().int().min(0).max(100)).optional().describe("Version → percent of the model's requests; the shares sum to 100, unlisted versions get 0."),
    enabled: z.boolean().optional(),
    sticky: z.boolean().optional().describe("Split per API key instead of per request."),
  })
  .refine((p) => p.traffic !== undefined || p.enabled !== undefined || p.sticky !== undefined, { error: "send traffic, enabled or sticky" });

const tensorInfo = z.object({ name: z.string(), datatype: z.string(), shape: z.array(z.number().int()) });

export const registryVersionOutput = z.object({
  version: z.string(),
  status: z.enum(["validating", "measuring", "ready", "failed"]),
  status_reason: z.string().nullable(),
  traffic_percent: z.number().int(),
  created_at: z.string(),
  created_by: z.string().nullable(),
  size_bytes: z.number().int(),
  files: z.array(z.object({ role: z.string(), name: z.string(), sha256: z.string().nullable(), bytes: z.number().int().nullable() })),
  signature: z.array(
    z.object({
      role: z.string(),
      opset: z.number().int().nullable(),
      ir_version: z.number().int().nullable(),
      producer: z.string().nullable(),
      ops: z.array(z.string()),
      inputs: z.array(tensorInfo),
      outputs: z.array(tensorInfo),
    }),
  ),
  options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  eval_metric: z.string().nullable(),
});

export const registryModelOutput = z.object({
  id: z.string(),
  object: z.literal("registry_model"),
  task: z.enum(["ocr", "vad", "tensor", "text"]),
  name: z.string(),
  description: z.string(),
  license: z.string(),
  built_in: z.boolean(),
  enabled: z.boolean(),
  default: z.boolean(),
  sticky: z.boolean(),
  created_by: z.string().nullable(),
  created_at: z.string(),
  versions: z.array(registryVersionOutput),
});

export const deletedModelOutput = z.object({ id: z.string(), object: z.literal("registry_model"), deleted: z.literal(true), version: z.string().optional() });

export type RegistryModel = z.output<typeof registryModelOutput>;
