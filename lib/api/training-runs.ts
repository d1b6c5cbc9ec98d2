import "server-only";
/** The training-runs API (administrators): a multipart dataset in, a run out; each handler a few lines. */
import type { Readable } from "node:stream";
import type { SessionUser } from "@/lib/auth/session";
import { maxDatasetBytes, tooLargeError } from "@/lib/training/dataset";
import { cancelTrainingRun, getRun, listRuns, previewDataset, startTrainingRun } from "@/lib/training/runs";
import type { Actor } from "@/lib/registry/upload";
import { readUploadForm } from "./model-upload";
import { presentDatasetPreview, presentTrainingRun } from "./presenters/training-runs";
import type { SessionContext } from "./route";
import { trainingRunFields } from "./schemas/training-runs";
import { ApiError } from "./errors";
import { parseWith } from "./validation";

const FIELD = "dataset";

const actorOf = (user: SessionUser): Actor => ({ id: user.id, email: user.email });

/** The dataset part, held in memory (at most PARETO_MAX_DATASET_MB: refused as it passes the cap), and the text fields. */
async function readDatasetForm(req: Request): Promise<{ fields: Record<string, string>; bytes: Buffer; filename?: string }> {
  if (!/^multipart\/form-data/i.test(req.headers.get("content-type") ?? "")) {
    throw new ApiError("unsupported_media_type", `Send the dataset as multipart/form-data: the file part "${FIELD}" and the options as text parts.`, { param: "content-type" });
  }
  const max = maxDatasetBytes();
  const form = await readUploadForm<Buffer>(req, {
    fileFields: [FIELD],
    maxBodyBytes: max + 1024 * 1024,
    store: async (_field: string, stream: Readable) => {
      const chunks: Buffer[] = [];
      let n = 0;
      for await (const c of stream) {
        n += (c as Buffer).length;
        if (n > max) throw tooLargeError(null);
        chunks.push(c as Buffer);
      }
      return Buffer.concat(chunks, n);
    },
    discard: async () => undefined,
  });
  const file = form.files.find((f) => f.field === FIELD);
  if (!file) throw new ApiError("validation_error", `Attach the dataset (CSV with a text,label header, or JSONL) as the multipart file "${FIELD}".`, { param: FIELD });
  return { fields: form.fields, bytes: file.stored, filename: file.filename === FIELD ? undefined : file.filename };
}

/** POST /api/v1/training-runs */
export async function startRunRequest(ctx: SessionContext) {
  const { fields, bytes, filename } = await readDatasetForm(ctx.req);
  const f = parseWith(trainingRunFields, fields);
  const run = await startTrainingRun(actorOf(ctx.user), { modelId: f.id, name: f.name, description: f.description, budgetS: f.budget_s, objective: f.objective, seed: f.seed }, { bytes, filename }, { measure: true });
  return { status: 202, body: presentTrainingRun(run), headers: { location: `/api/v1/training-runs/${run.id}` } };
}

/** POST /api/v1/training-runs/preview */
export async function previewRequest(ctx: SessionContext) {
  const { fields, bytes, filename } = await readDatasetForm(ctx.req);
  const extra = Object.keys(fields)[0];
  if (extra !== undefined) throw new ApiError("validation_error", `A preview takes only the file "${FIELD}"; "${extra}" is not one of its fields.`, { param: extra });
  return { body: presentDatasetPreview(await previewDataset({ bytes, filename })) };
}

/** GET /api/v1/training-runs */
export async function listRunsRequest() {
  return { body: { object: "list", data: (await listRuns()).map(presentTrainingRun) } };
}

/** GET /api/v1/training-runs/{id} */
export async function getRunRequest(ctx: SessionContext<{ id: string }>) {
  return { body: presentTrainingRun(await getRun(ctx.params.id)) };
}

/** DELETE /api/v1/training-runs/{id} */
export async function cancelRunRequest(ctx: SessionContext<{ id: string }>) {
  return { body: presentTrainingRun(await cancelTrainingRun(actorOf(ctx.user), ctx.params.id)) };
}
