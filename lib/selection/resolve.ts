import "server-only";
import { findModelRow, listModelRows } from "@/lib/db/models";
import { catalogEntry, TASK_ALIASES, taskDefault, type CatalogEntry, type Task } from "@/lib/models/catalog";
import { ServiceError } from "@/lib/models/errors";

/** The task's default: the enabled model an admin (or the regression gate) marked default, else the catalog's. */
export async function defaultModel(task: Task): Promise<CatalogEntry> {
  const rows = await listModelRows();
  const chosen = rows.find((r) => r.task === task && r.isDefault && r.enabled) ?? rows.find((r) => r.task === task && r.enabled);
  return (chosen && catalogEntry(chosen.id)) || taskDefault(task);
}

/** Resolves `model` (an id, a task alias, or nothing) to a catalog entry of the route's task. */
export async function resolveModel(requested: string | undefined, task: Task): Promise<CatalogEntry> {
  if (!requested || TASK_ALIASES[requested] === task) return defaultModel(task);
  if (TASK_ALIASES[requested]) throw new ServiceError("wrong_task", `${requested} is not a ${task} alias.`, { param: "model" });
  const entry = catalogEntry(requested);
  if (!entry) throw new ServiceError("model_not_found", `No model "${requested}". GET /api/v1/models lists them.`, { param: "model" });
  if (entry.task !== task) throw new ServiceError("wrong_task", `${entry.id} is a ${entry.task} model; this endpoint runs ${task} models.`, { param: "model" });
  const row = await findModelRow(entry.id);
  if (row && !row.enabled) throw new ServiceError("model_disabled", `Model ${entry.id} is disabled by an administrator.`, { param: "model" });
  return entry;
}
