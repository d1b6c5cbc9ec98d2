import "server-only";
/** The admin API of the model registry: uploads (streamed to storage), changes, removal — each a few lines. */
import type { Readable } from "node:stream";
import type { SessionUser } from "@/lib/auth/session";
import { env } from "@/lib/config/env";
import type { Task } from "@/lib/models/catalog";
import { putBlob } from "@/lib/registry/blob-store";
import { scheduleMeasurement } from "@/lib/registry/measure";
import { deleteModel, deleteVersion, patchModel, registryModel } from "@/lib/registry/manage";
import { ALL_FILE_FIELDS, discardUploads, FILE_FIELDS, registerModel, registerVersion, type Actor, type StoredUpload } from "@/lib/registry/upload";
import { readUploadForm } from "./model-upload";
import { presentRegistryModel } from "./presenters/registry";
import type { SessionContext } from "./route";
import { deletedModelOutput, modelPatch, uploadFields, versionFields } from "./schemas/registry";
import { parseJson, parseWith } from "./validation";

const MB = 1024 * 1024;

function actorOf(user: SessionUser): Actor {
  return { id: user.id, email: user.email };
}

/** Reads the form, storing each file part as it streams in; returns the text fields and the stored files by field. */
async function readForm(req: Request, fileFields: readonly string[]): Promise<{ fields: Record<string, string>; files: Map<string, StoredUpload> }> {
  const maxFile = env.maxModelMb() * MB;
  const form = await readUploadForm<StoredUpload>(req, {
    fileFields,
    // Every file may be at the cap (an OCR bundle is up to four), plus the text fields.
    maxBodyBytes: fileFields.length * maxFile + MB,
    store: async (field: string, stream: Readable) => {
      const put = await putBlob(stream, { maxBytes: maxFile });
      return { field, filename: "", sha256: put.sha256, bytes: put.bytes, existed: put.existed };
    },
    discard: (s) => discardUploads([s]),
  });
  const files = new Map(form.files.map((f) => [f.field, { ...f.stored, filename: f.filename }]));
  return { fields: form.fields, files };
}

/** Field errors are answered after the files that came with them are removed (unless something else uses them). */
async function parseFields<T>(files: Map<string, StoredUpload>, parse: () => T): Promise<T> {
  try {
    return parse();
  } catch (e) {
    await discardUploads(files.values());
    throw e;
  }
}

async function present(id: string) {
  return presentRegistryModel(await registryModel(id));
}

/** POST /api/v1/admin/models */
export async function uploadModelRequest(ctx: SessionContext) {
  const { fields, files } = await readForm(ctx.req, ALL_FILE_FIELDS);
  const f = await parseFields(files, () => parseWith(uploadFields, fields));
  await registerModel(actorOf(ctx.user), { id: f.id, task: f.task, name: f.name, version: f.version, license: f.license, description: f.description, sticky: f.sticky, evalMetric: f.eval_metric }, files);
  scheduleMeasurement(f.id, f.version);
  return { status: 201, body: await present(f.id) };
}

/** POST /api/v1/admin/models/{id}/versions */
export async function addVersionRequest(ctx: SessionContext<{ id: string }>) {
  const model = await registryModel(ctx.params.id);
  const { fields, files } = await readForm(ctx.req, FILE_FIELDS[model.task as Task] ?? ALL_FILE_FIELDS);
  const f = await parseFields(files, () => parseWith(versionFields, fields));
  await registerVersion(actorOf(ctx.user), { id: model.id, task: model.task as Task, builtIn: model.builtIn }, { version: f.version, evalMetric: f.eval_metric }, files);
  scheduleMeasurement(model.id, f.version);
  return { status: 201, body: await present(model.id) };
}

/** GET /api/v1/admin/models/{id} */
export async function getModelRequest(ctx: SessionContext<{ id: string }>) {
  return { body: await present(ctx.params.id) };
}

/** PATCH /api/v1/admin/models/{id} */
export async function patchModelRequest(ctx: SessionContext<{ id: string }>) {
  await patchModel(actorOf(ctx.user), ctx.params.id, await parseJson(ctx.req, modelPatch));
  return { body: await present(ctx.params.id) };
}

/** DELETE /api/v1/admin/models/{id}[/versions/{version}] */
export async function deleteModelRequest(ctx: SessionContext<{ id: string; version?: string }>) {
  const { id, version } = ctx.params;
  if (version === undefined) await deleteModel(actorOf(ctx.user), id);
  else await deleteVersion(actorOf(ctx.user), id, version);
  return { body: deletedModelOutput.parse({ id, object: "registry_model", deleted: true, ...(version !== undefined ? { version } : {}) }) };
}
