import "server-only";
import type { SessionUser } from "@/lib/auth/session";
import { writeAudit } from "@/lib/db/audit";
import { listModelRows, setModelEnabled } from "@/lib/db/models";
import type { CatalogEntry } from "@/lib/models/catalog";
import { ServiceError } from "@/lib/models/errors";
import { builtInEntry, SERVABLE_STATUSES, uploadedEntry } from "@/lib/registry/entries";
import { registryRows } from "@/lib/registry/servables";
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

function sizeOf(e: CatalogEntry, row: Row | undefined): number {
  if (!e.builtIn) return e.files.reduce((s, f) => s + (f.bytes ?? 0), 0);
  const files = (row?.files ?? []) as { bytes: number | null }[];
  return files.reduce((s, f) => s + (f.bytes ?? 0), 0);
}

function stateOf(e: CatalogEntry, row: Row | undefined): AdminModelState {
  const rt = getRuntime();
  return {
    entry: e,
    isDefault: row ? row.isDefault : Boolean(e.isTaskDefault),
    enabled: row?.enabled ?? true,
    sizeBytes: sizeOf(e, row),
    status: rt.status().find((s) => s.id === e.id),
    recentP95Ms: rt.metrics.recentQuantile(e.id, 0.95),
  };
}

/** The servables of a registry row: a built-in itself, an uploaded model's versions that can serve. */
function servablesOf(row: Awaited<ReturnType<typeof registryRows>>[number]): CatalogEntry[] {
  if (row.builtIn) {
    const e = builtInEntry(row.id);
    return e ? [e] : [];
  }
  return row.versions.filter((v) => SERVABLE_STATUSES.includes(v.status)).map((v) => uploadedEntry(row, v));
}

/** Every servable (built-in variants, uploaded versions) with its model's admin switches and live runtime state. */
export async function adminModels(): Promise<AdminModelState[]> {
  return (await registryRows()).flatMap((row) => servablesOf(row).map((e) => stateOf(e, row)));
}

async function servable(id: string): Promise<{ entry: CatalogEntry; row: Row } | undefined> {
  for (const row of await registryRows()) {
    const e = servablesOf(row).find((x) => x.id === id);
    if (e) return { entry: e, row };
  }
  return undefined;
}

async function adminModel(id: string): Promise<AdminModelState> {
  const s = (await servable(id))!;
  return stateOf(s.entry, s.row);
}

/**
 * Load, unload or reload a model in this process's runtime, or enable/disable it for everyone. Every attempt is
 * audit-logged with its outcome; a failed load answers 503 with the runtime's reason.
 */
export async function runModelAction(actor: SessionUser, id: string, action: ModelAction): Promise<AdminModelState> {
  const target = await servable(id);
  if (!target) throw new ServiceError("model_not_found", `No model "${id}".`, { param: "id" });
  const rt = getRuntime();
  let failure: string | null = null;
  try {
    if (action === "load") await rt.load(id);
    else if (action === "reload") await rt.reload(id);
    else if (action === "unload") rt.unload(id);
    // Enabled is the model's switch: disabling an uploaded version's servable disables the model (all versions).
    else await setModelEnabled(target.entry.modelId, action === "enable");
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
