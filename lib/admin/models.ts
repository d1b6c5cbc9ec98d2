import "server-only";
import type { SessionUser } from "@/lib/auth/session";
import { writeAudit } from "@/lib/db/audit";
import { listModelRows, setModelEnabled } from "@/lib/db/models";
import { CATALOG, catalogEntry, type CatalogEntry } from "@/lib/models/catalog";
import { ServiceError } from "@/lib/models/errors";
import { getRuntime, type ModelStatus } from "@/lib/runtime";
import type { ModelAction } from "./model-actions";

type Row = Awaited<ReturnType<typeof listModelRows>>[number];

/** A model as operators see it: catalog identity, the admin's switches and the runtime's live state. */
export interface AdminModelState {
  entry: CatalogEntry;
  isDefault: boolean;
  enabled: boolean;
  sizeBytes: number;
  /** This process's runtime view of the model; undefined while the runtime has not seen it. */
  status: ModelStatus | undefined;
  /** p95 of recent end-to-end latencies in this process (ms), when there were any. */
  recentP95Ms: number | undefined;
}

function sizeOf(row: Row | undefined): number {
  const files = (row?.files ?? []) as { bytes: number | null }[];
  return files.reduce((s, f) => s + (f.bytes ?? 0), 0);
}

function stateOf(e: CatalogEntry, row: Row | undefined): AdminModelState {
  const rt = getRuntime();
  return {
    entry: e,
    isDefault: row ? row.isDefault : Boolean(e.isTaskDefault),
    enabled: row?.enabled ?? true,
    sizeBytes: sizeOf(row),
    status: rt.status().find((s) => s.id === e.id),
    recentP95Ms: rt.metrics.recentQuantile(e.id, 0.95),
  };
}

/** Every catalog model with its admin switches and live runtime state. */
export async function adminModels(): Promise<AdminModelState[]> {
  const rows = new Map((await listModelRows()).map((r) => [r.id, r]));
  return CATALOG.map((e) => stateOf(e, rows.get(e.id)));
}

async function adminModel(id: string): Promise<AdminModelState> {
  const e = catalogEntry(id)!;
  return stateOf(e, (await listModelRows()).find((r) => r.id === id));
}

/**
 * Load, unload or reload a model in this process's runtime, or enable/disable it for everyone. Every attempt is
 * audit-logged with its outcome; a failed load answers 503 with the runtime's reason.
 */
export async function runModelAction(actor: SessionUser, id: string, action: ModelAction): Promise<AdminModelState> {
  if (!catalogEntry(id)) throw new ServiceError("model_not_found", `No model "${id}".`, { param: "id" });
  const rt = getRuntime();
  let failure: string | null = null;
  try {
    if (action === "load") await rt.load(id);
    else if (action === "reload") await rt.reload(id);
    else if (action === "unload") rt.unload(id);
    else await setModelEnabled(id, action === "enable");
  } catch (e) {
    failure = e instanceof Error ? e.message : String(e);
  }
  const after = await adminModel(id);
  await writeAudit({
    actorId: actor.id,
    actorEmail: actor.email,
    action: `model.${action}`,
    targetType: "model",
    targetId: id,
    details: { outcome: failure ? "failed" : "ok", status: after.status?.state ?? "UNLOADED", enabled: after.enabled, ...(failure ? { reason: failure } : {}) },
  });
  if (failure) throw new ServiceError("model_unavailable", `${action} of model ${id} failed: ${failure}`);
  return after;
}
