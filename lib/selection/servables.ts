import "server-only";
/**
 * What selection compares for a task: every servable — the built-in variants and each uploaded version that can
 * serve (validated and measuring, or measured) — with the registry row it belongs to. Figures are keyed by servable
 * id (a built-in's model id, `<model>@<version>` for an upload), so versions of one model are separate points.
 */
import type { ModelRow, ModelVersionRow } from "@/lib/db/models";
import { CATALOG, type CatalogEntry, type Task } from "@/lib/models/catalog";
import { SERVABLE_STATUSES, uploadedEntry } from "@/lib/registry/entries";

type Row = ModelRow & { versions: ModelVersionRow[] };

export interface TaskServable {
  entry: CatalogEntry;
  /** The model's registry row (absent only for a built-in before the catalog was synced). */
  row: Row | undefined;
}

/** Built-ins first (catalog order), then uploaded versions by model and age. */
export function taskServables(rows: readonly Row[], task: Task): TaskServable[] {
  const builtIns = CATALOG.filter((e) => e.task === task).map((entry) => ({ entry, row: rows.find((r) => r.id === entry.id) }));
  const uploads = rows
    .filter((r) => !r.builtIn && r.task === task)
    .flatMap((row) => row.versions.filter((v) => SERVABLE_STATUSES.includes(v.status)).map((v) => ({ entry: uploadedEntry(row, v), row })));
  return [...builtIns, ...uploads];
}

/** servable id → task, for every servable the rows know (any status: old figures of a failed version stay keyed). */
export function servableTasks(rows: readonly Row[]): Map<string, Task> {
  const out = new Map<string, Task>(CATALOG.map((e) => [e.id, e.task]));
  for (const r of rows) if (!r.builtIn) for (const v of r.versions) out.set(`${r.id}@${v.version}`, r.task as Task);
  return out;
}
