import { z } from "zod";
import { MODEL_ACTIONS } from "@/lib/admin/model-actions";

export { MODEL_ACTIONS, type ModelAction } from "@/lib/admin/model-actions";

export const modelActionParams = z.object({
  id: z.string().max(130),
  action: z.enum(MODEL_ACTIONS, { error: `action must be one of ${MODEL_ACTIONS.join(", ")}` }),
});

/** A model as operators see it: catalog identity, the admin's switches and the runtime's live state. */
export const adminModelOutput = z.object({
  id: z.string().describe("The servable: a built-in's model id, or <model id>@<version> for an uploaded version."),
  object: z.literal("admin_model"),
  model_id: z.string(),
  version: z.string(),
  built_in: z.boolean(),
  name: z.string(),
  task: z.enum(["ocr", "vad", "tensor", "text"]),
  default: z.boolean(),
  enabled: z.boolean(),
  status: z.enum(["UNLOADED", "LOADING", "READY", "FAILED"]),
  status_reason: z.string().nullable(),
  load_ms: z.number().nullable(),
  memory_bytes: z.number().nullable().describe("Approximate resident memory the model's sessions add (all workers)."),
  queued: z.number().int(),
  in_flight: z.number().int(),
  p95_ms: z.number().nullable().describe("p95 of recent end-to-end latencies in this process."),
  size_bytes: z.number().int(),
  last_used_at: z.string().nullable(),
});

export type AdminModel = z.output<typeof adminModelOutput>;
