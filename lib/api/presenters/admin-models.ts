import "server-only";
import type { AdminModelState } from "@/lib/admin/models";
import { redactReason } from "../redact";
import { adminModelOutput } from "../schemas/admin-models";

/** A model on the admin page and API: switches and live runtime state, through the output schema. */
export function presentAdminModel(m: AdminModelState) {
  const st = m.status;
  return adminModelOutput.parse({
    id: m.entry.id,
    object: "admin_model",
    model_id: m.entry.modelId,
    version: m.entry.version,
    built_in: m.entry.builtIn,
    name: m.entry.displayName,
    task: m.entry.task,
    default: m.isDefault,
    enabled: m.enabled,
    status: st?.state ?? "UNLOADED",
    status_reason: redactReason(st?.reason),
    load_ms: st?.loadMs !== undefined ? Math.round(st.loadMs) : null,
    memory_bytes: st?.memoryBytes ?? null,
    queued: st?.queued ?? 0,
    in_flight: st?.inFlight ?? 0,
    p95_ms: m.recentP95Ms !== undefined ? Math.round(m.recentP95Ms * 100) / 100 : null,
    size_bytes: m.sizeBytes,
    last_used_at: st?.lastUsedAt ? new Date(st.lastUsedAt).toISOString() : null,
  });
}
