import { z } from "zod";
import { messageOut } from "./message";
import { MODEL_ID } from "./registry";

const text = (max: number) => z.string().max(max, { error: `at most ${max} characters` });
/** A whole number sent as a text part of a form (or a CLI flag). */
const wholeNumber = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\s*\d+\s*$/, { error: `${name} must be a whole number` })
    .transform(Number)
    .pipe(z.number().min(min, { error: `${name} must be at least ${min}` }).max(max, { error: `${name} must be at most ${max}` }));

export const OBJECTIVES = ["balanced", "most_accurate", "fastest"] as const;

/** The text fields of `POST /api/v1/training-runs` (the dataset is a file part of the same form); the CLI's flags too. */
export const trainingRunFields = z.strictObject({
  id: z.string().regex(MODEL_ID, { error: "lowercase letters, digits and hyphens, 3–64 characters, starting and ending with a letter or digit" }).describe("The model the candidates become versions of: a new id, or a text model's id to add versions to it."),
  name: text(100).optional().describe("Display name of a new model."),
  description: text(2000).optional(),
  task: z.enum(["text-classification"], { error: "must be text-classification" }).default("text-classification"),
  budget_s: wholeNumber("budget_s", 5, 3600).default(120).describe("Wall-clock budget of the search, seconds (5–3600, default 120)."),
  objective: z.enum(OBJECTIVES, { error: "must be balanced, most_accurate or fastest" }).default("balanced").describe("How the best candidate (the one given all the traffic) is chosen."),
  seed: wholeNumber("seed", 0, 2 ** 31 - 1).default(1).describe("Same dataset, options and seed: the same models."),
});

const said = { message: z.string(), i18n: messageOut.optional() };

export const badRowOutput = z.object({
  line: z.number().int().describe("1-based, as in the file (a multi-line CSV record: its first line)."),
  reason: z.enum(["missing_field", "empty_text", "empty_label", "not_utf8", "bad_json", "bad_csv", "too_long"]),
  ...said,
});

const datasetCounts = {
  format: z.enum(["csv", "jsonl"]),
  rows: z.number().int().describe("Rows kept for training."),
  labels: z.array(z.object({ label: z.string(), count: z.number().int() })).describe("Rows kept per label, most frequent first."),
  bad_rows: z.array(badRowOutput).describe("The first 100 rows left out, in file order."),
  bad_row_count: z.number().int().describe("Every row left out."),
};

const errorOut = z.object({ code: z.string(), ...said }).nullable();

export const datasetPreviewOutput = z.object({
  object: z.literal("dataset_preview"),
  ...datasetCounts,
  bytes: z.number().int(),
  error: errorOut.describe("Why no classifier can be trained on it (what starting a run would answer), or null."),
});

export const trainingRunOutput = z.object({
  id: z.string(),
  object: z.literal("training_run"),
  model_id: z.string(),
  name: z.string().nullable(),
  description: z.string().nullable(),
  task: z.literal("text-classification"),
  status: z.enum(["queued", "running", "succeeded", "failed", "cancelled"]),
  options: z.object({ budget_s: z.number().int(), objective: z.enum(OBJECTIVES), seed: z.number().int() }),
  progress: z.object({
    phase: z.enum(["parsing", "features", "search", "final", "registering", "done"]),
    fraction: z.number().describe("0–1 of the whole run."),
    candidate: z.string().optional(),
    epoch: z.number().int().optional(),
  }),
  dataset: z.object({ name: z.string().nullable(), sha256: z.string(), bytes: z.number().int(), ...datasetCounts }),
  curve: z.array(z.object({ candidate: z.string(), epoch: z.number().int(), train_loss: z.number(), valid_loss: z.number() })).describe("Loss per epoch of each candidate, as it trains."),
  candidates: z
    .array(
      z.object({
        version: z.string().describe("Serve it as `model_id@version`."),
        name: z.string(),
        kind: z.enum(["linear", "mlp"]),
        accuracy: z.number().describe("On the hold-out rows (never trained on)."),
        macro_f1: z.number(),
        params: z.number().int(),
        bytes: z.number().int(),
        train_ms: z.number(),
        traffic_percent: z.number().int().nullable().describe("Its share of the model's requests now (null: the version was deleted)."),
      }),
    )
    .describe("The registered candidates, best first."),
  best: z.string().nullable().describe("The version given all the traffic."),
  error: errorOut,
  created_by: z.string().nullable(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
});

export const trainingRunListOutput = z.object({ object: z.literal("list"), data: z.array(trainingRunOutput) });
