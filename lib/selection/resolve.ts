import "server-only";
import type { ModelRow, ModelVersionRow } from "@/lib/db/models";
import { TASK_ALIASES, taskDefault, type CatalogEntry, type Task } from "@/lib/models/catalog";
import { ServiceError } from "@/lib/models/errors";
import { builtInEntry, SERVABLE_STATUSES, uploadedEntry } from "@/lib/registry/entries";
import { registryRows } from "@/lib/registry/servables";
import { pickVersion, stickyBucket } from "@/lib/registry/traffic";

type Row = ModelRow & { versions: ModelVersionRow[] };

/**
 * The servable of a model row for one request: a built-in is its own; an uploaded model's version is drawn by the
 * traffic split (per key when the model is sticky), or pinned by `@version`.
 */
function servableOf(row: Row, stickyKey: string | undefined, pinned?: string): CatalogEntry {
  if (row.builtIn) {
    const e = builtInEntry(row.id);
    if (!e) throw new ServiceError("model_not_found", `No model "${row.id}".`, { param: "model" });
    if (pinned !== undefined && pinned !== e.version) throw new ServiceError("model_not_found", `Model ${row.id} has no version "${pinned}"; its only version is ${e.version}.`, { param: "model" });
    return e;
  }
  const servable = row.versions.filter((v) => SERVABLE_STATUSES.includes(v.status));
  if (pinned !== undefined) {
    const v = row.versions.find((x) => x.version === pinned);
    if (!v) throw new ServiceError("model_not_found", `Model ${row.id} has no version "${pinned}". GET /api/v1/models/${row.id} lists them.`, { param: "model" });
    if (!SERVABLE_STATUSES.includes(v.status)) throw new ServiceError("model_unavailable", `Version ${pinned} of ${row.id} is ${v.status}${v.statusReason ? `: ${v.statusReason}` : ""}.`, { param: "model", retryAfterS: 5 });
    return uploadedEntry(row, v);
  }
  const bucket = row.sticky && stickyKey ? stickyBucket(stickyKey, row.id) : undefined;
  const version = pickVersion(servable, bucket);
  const v = servable.find((x) => x.version === version);
  if (!v) throw new ServiceError("model_unavailable", `Model ${row.id} has no version taking traffic yet.`, { param: "model", retryAfterS: 5 });
  return uploadedEntry(row, v);
}

/** The task's default: the enabled model an admin (or the regression gate) marked default, else the catalog's. */
export async function defaultModel(task: Task, stickyKey?: string): Promise<CatalogEntry> {
  const rows = await registryRows();
  const chosen = rows.find((r) => r.task === task && r.isDefault && r.enabled) ?? rows.find((r) => r.task === task && r.enabled && r.builtIn);
  if (chosen) {
    try {
      return servableOf(chosen, stickyKey);
    } catch {
      // A default with no serving version (all removed mid-change) falls back to the catalog's.
    }
  }
  return taskDefault(task);
}

/**
 * Resolves `model` (an id, `id@version`, a task alias, or nothing) to the servable that answers, of the route's
 * task. `stickyKey` (the API key) keeps a sticky model's split per key.
 */
export async function resolveModel(requested: string | undefined, task: Task, stickyKey?: string): Promise<CatalogEntry> {
  if (!requested || TASK_ALIASES[requested] === task) return defaultModel(task, stickyKey);
  if (TASK_ALIASES[requested]) throw new ServiceError("wrong_task", `${requested} is not a ${task} alias.`, { param: "model" });
  const at = requested.lastIndexOf("@");
  const [id, pinned] = at > 0 ? [requested.slice(0, at), requested.slice(at + 1)] : [requested, undefined];
  const row = (await registryRows()).find((r) => r.id === id);
  if (!row) throw new ServiceError("model_not_found", `No model "${id}". GET /api/v1/models lists them.`, { param: "model" });
  if (row.task !== task) throw new ServiceError("wrong_task", `${row.id} is a ${row.task} model; this endpoint runs ${task} models.`, { param: "model" });
  if (!row.enabled) throw new ServiceError("model_disabled", `Model ${row.id} is disabled by an administrator.`, { param: "model" });
  return servableOf(row, stickyKey, pinned);
}
