import { datasetPreviewOutput, trainingRunFields, trainingRunListOutput, trainingRunOutput } from "../schemas/training-runs";
import { inputOf, outputOf, ref } from "./components";
import { operation, pathParam } from "./operation";
import type { JsonSchema, PathItem, RequestBody } from "./types";

export const TRAINING_SCHEMAS: Record<string, JsonSchema> = {
  TrainingRun: outputOf(trainingRunOutput),
  TrainingRunList: outputOf(trainingRunListOutput),
  DatasetPreview: outputOf(datasetPreviewOutput),
};

export const TRAINING_TAG_DESCRIPTION =
  "Train text classifiers on this host from a labelled dataset (administrators). Candidates are registered as versions of one model, measured like uploads, and served by POST /api/v1/classify.";

const tag = "Training";

const DATASET: JsonSchema = {
  type: "string",
  contentMediaType: "application/octet-stream",
  description: "CSV with a header naming the columns text and label (either order; quote texts containing commas or newlines), or JSONL with one {\"text\", \"label\"} object a line. UTF-8, at most PARETO_MAX_DATASET_MB.",
};

function datasetBody(fields: JsonSchema | null): RequestBody {
  const properties = { ...((fields?.properties ?? {}) as Record<string, JsonSchema>), dataset: DATASET };
  const required = [...new Set([...((fields?.required ?? []) as string[]), "dataset"])];
  return {
    required: true,
    description: "multipart/form-data: the dataset as the file part `dataset`" + (fields ? ", the options as text parts." : "."),
    content: { "multipart/form-data": { schema: { type: "object", properties, required, ...(fields ? {} : { additionalProperties: false }) } } },
  };
}

const DATASET_ERRORS = [400, 413, 415, 422];

/** Training runs: start, preview a dataset, follow, cancel. */
export const TRAINING_PATHS: Record<string, PathItem> = {
  "/api/v1/training-runs": {
    get: operation("get", {
      id: "listTrainingRuns",
      tag,
      summary: "Training runs, newest first",
      auth: "admin",
      ok: { status: 200, description: "The last 100 runs.", schema: ref("TrainingRunList") },
    }),
    post: operation("post", {
      id: "startTrainingRun",
      tag,
      summary: "Train a text classifier on a labelled dataset",
      description:
        "The dataset is read first (off the server's main thread): rows that cannot be used are reported with their line number and left out; a dataset no classifier can learn from is refused — 422 dataset_invalid (one label, fewer than 5 rows for a label, no header, nothing usable), 413 dataset_too_large. " +
        "Then 202 with the run, which trains on a thread below the inference workers' priority within `budget_s`, and registers its candidates as versions of model `id` (the best with all the traffic, the others at 0 %, servable as `id@version`). " +
        "One run at a time per instance: 409 training_busy while another trains. 409 conflict / model_in_use: `id` names a model of another task or a built-in.",
      auth: "admin",
      body: datasetBody(inputOf(trainingRunFields)),
      ok: { status: 202, description: "The run, training; follow it with GET /api/v1/training-runs/{id}.", schema: ref("TrainingRun") },
      errors: [...DATASET_ERRORS, 409],
    }),
  },
  "/api/v1/training-runs/preview": {
    post: operation("post", {
      id: "previewTrainingDataset",
      tag,
      summary: "Read a dataset: label counts, bad rows, and whether it can be trained on (nothing is stored)",
      auth: "admin",
      body: datasetBody(null),
      ok: { status: 200, description: "The dataset's report; `error` says why a run would refuse it.", schema: ref("DatasetPreview") },
      errors: DATASET_ERRORS,
    }),
  },
  "/api/v1/training-runs/{id}": {
    get: operation("get", {
      id: "getTrainingRun",
      tag,
      summary: "A run: status, progress, loss curve, candidates with accuracy, size and traffic",
      auth: "admin",
      parameters: [pathParam("id", "Run id.")],
      ok: { status: 200, description: "The run.", schema: ref("TrainingRun") },
      errors: [404],
    }),
    delete: operation("delete", {
      id: "cancelTrainingRun",
      tag,
      summary: "Cancel a run (it stops within a second)",
      description: "409 conflict once the run has finished, or while it registers its trained models.",
      auth: "admin",
      parameters: [pathParam("id", "Run id.")],
      ok: { status: 200, description: "The run, cancelled.", schema: ref("TrainingRun") },
      errors: [404, 409],
    }),
  },
};
