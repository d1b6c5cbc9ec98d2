import "server-only";
import { ApiError } from "@/lib/api/errors";
import { adminModelOutput, type ModelAction } from "@/lib/api/schemas/admin-models";
import type { SessionUser } from "@/lib/auth/session";
import { writeAudit } from "@/lib/db/audit";
import { listModelRows, setModelEnabled } from "@/lib/db/models";
import { CATALOG, catalogEntry, type CatalogEntry } from "@/lib/models/catalog";
import { getRuntime } from "@/lib/runtime";

type Row = Awaited<ReturnType<typeof listModelRows>>[number];

function sizeOf(row: Row | undefined): number {
  const files = (row?.files ?? []) as { bytes: number | null }[];
  return files.reduce((s, f) => s + (f.bytes ?? 0), 0);
}

function present(e: CatalogEntry, row: Row | undefined) {
  const rt = getRuntime();
  const st = rt.status().find((s) => s.id === e.id);
  const p95 = rt.metrics.recentQuantile(e.id, 0.95);
  return adminModelOutput.parse({
    id: e.id,
    object: "admin_model",
    name: e.displayName,
    task: e.task,
    default: row ? row.isDefault : Boolean(e.isTaskDefault),
    enabled: row?.enabled ?? true,
    status: st?.state ?? "UNLOADED",
    status_reason: st?.reason ?? null,
    load_ms: st?.loadMs !== undefined ? Math.round(st.loadMs) : null,
    memory_bytes: st?.memoryBytes ?? null,
    queued: st?.queued ?? 0,
    in_flight: st?.inFlight ?? 0,
    p95_ms: p95 !== undefined ? Math.round(p95 * 100) / 100 : null,
    size_bytes: sizeOf(row),
    last_used_at: st?.lastUsedAt ? new Date(st.lastUsedAt).toISOString() : null,
  });
}

/** Every catalog model with its admin switches and live runtime state. */
export async function adminModels() {
  const rows = new Map((await listModelRows()).map((r) => [r.id, r]));
  return CATALOG.map((e) => present(e, rows.get(e.id)));
}

async function adminModel(id: string) {
  const e = catalogEntry(id)!;
  return present(e, (await listModelRows()).find((r) => r.id === id));
}

/**
 * Load, unload or reload a model in this process's runtime, or enable/disable it for everyone. Every attempt is
 * audit-logged with its outcome; a failed load answers 503 with the runtime's reason.
 */
export async function runModelAction(actor: SessionUser, id: string, action: ModelAction) {
  if (!catalogEntry(id)) throw new ApiError("model_not_found", `No model "${id}".`, { param: "id" });
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
    details: { outcome: failure ? "failed" : "ok", status: after.status, enabled: after.enabled, ...(failure ? { reason: failure } : {}) },
  });
  if (failure) throw new ApiError("model_unavailable", `${action} of model ${id} failed: ${failure}`);
  return after;
}
