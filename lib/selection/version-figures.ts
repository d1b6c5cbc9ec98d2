import "server-only";
/**
 * A model's latest figures on this host, per version — for its model card (GET /api/v1/models/{id} and the admin
 * page), where an uploaded model's versions are compared side by side, `tensor` models included (they have no task
 * frontier: each is its own task).
 */
import { listModelRows } from "@/lib/db/models";
import { servableId } from "@/lib/registry/entries";
import { loadTable } from "./service";
import type { ModelFigures } from "./table";

export interface VersionFigures {
  version: string;
  /** The runtime's id: a built-in's model id, `<model>@<version>` for an uploaded version. */
  servableId: string;
  status: string;
  /** Null until the version has been measured on this host. */
  figures: ModelFigures | null;
}

/** Every version of the model, oldest first; empty for an unknown model. */
export async function versionFigures(modelId: string): Promise<VersionFigures[]> {
  const [table, rows] = await Promise.all([loadTable(), listModelRows()]);
  const row = rows.find((r) => r.id === modelId);
  if (!row) return [];
  return row.versions.map((v) => {
    const id = row.builtIn ? row.id : servableId(row.id, v.version);
    return { version: v.version, servableId: id, status: v.status, figures: table.get(id) ?? null };
  });
}
