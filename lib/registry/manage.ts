import "server-only";
/**
 * Changing what is registered: traffic between versions (a canary, a promotion, a rollback — each one action),
 * switches, and removal. Every change is audit-logged and announced to the other instances; files go when the
 * last version using them goes.
 */
import { writeAudit } from "@/lib/db/audit";
import { deleteModelRow, deleteVersionRow, setTrafficShares, unreferencedBlobs, updateModelFlags } from "@/lib/db/model-registry";
import type { ModelRow, ModelVersionRow } from "@/lib/db/models";
import { ServiceError } from "@/lib/models/errors";
import { removeBlob } from "./blob-store";
import { SERVABLE_STATUSES, type StoredFile } from "./entries";
import { announceRegistryChange } from "./notify";
import { registryRows } from "./servables";
import type { Actor } from "./upload";

type Row = ModelRow & { versions: ModelVersionRow[] };

export async function registryModel(id: string): Promise<Row> {
  const row = (await registryRows()).find((r) => r.id === id);
  if (!row) throw new ServiceError("model_not_found", `No model "${id}".`, { param: "id" });
  return row;
}

function uploaded(row: Row, what: string): void {
  if (row.builtIn) throw new ServiceError("model_in_use", `${row.id} is built in: ${what} applies to uploaded models.`, { param: "id" });
}

async function changed(actor: Actor, action: string, targetId: string, details: Record<string, unknown>): Promise<void> {
  await writeAudit({ actorId: actor.id, actorEmail: actor.email, action, targetType: "model", targetId, details: JSON.parse(JSON.stringify(details)) });
  await announceRegistryChange();
}

export interface ModelPatch {
  /** version → percent; the listed shares must sum to 100, unlisted versions get 0. */
  traffic?: Record<string, number>;
  enabled?: boolean;
  sticky?: boolean;
}

/** Applies a PATCH: traffic split (validated against the versions that can serve), enabled, sticky. */
export async function patchModel(actor: Actor, id: string, patch: ModelPatch): Promise<void> {
  const row = await registryModel(id);
  if (patch.traffic) {
    uploaded(row, "a traffic split");
    const shares = patch.traffic;
    for (const [version, pct] of Object.entries(shares)) {
      const v = row.versions.find((x) => x.version === version);
      if (!v) throw new ServiceError("validation_error", `Model ${id} has no version "${version}" (versions: ${row.versions.map((x) => x.version).join(", ")}).`, { param: `traffic.${version}` });
      if (pct > 0 && !SERVABLE_STATUSES.includes(v.status)) throw new ServiceError("validation_error", `Version ${version} is ${v.status}${v.statusReason ? ` (${v.statusReason})` : ""}: it cannot take traffic.`, { param: `traffic.${version}` });
    }
    const total = Object.values(shares).reduce((s, p) => s + p, 0);
    if (total !== 100) throw new ServiceError("validation_error", `Traffic shares must add up to 100; these add up to ${total}.`, { param: "traffic" });
    const before = Object.fromEntries(row.versions.map((v) => [v.version, v.trafficPercent]));
    await setTrafficShares(id, shares);
    await changed(actor, "model.traffic", id, { before, after: shares });
  }
  if (patch.enabled !== undefined || patch.sticky !== undefined) {
    if (patch.sticky !== undefined) uploaded(row, "sticky routing");
    if (patch.enabled === false && row.isDefault) throw new ServiceError("model_in_use", `${id} is the default ${row.task} model: promote another before disabling it.`, { param: "enabled" });
    await updateModelFlags(id, { enabled: patch.enabled, sticky: patch.sticky });
    await changed(actor, patch.enabled === undefined ? "model.update" : patch.enabled ? "model.enable" : "model.disable", id, { enabled: patch.enabled, sticky: patch.sticky });
  }
}

async function dropFiles(files: StoredFile[], evalSha: (string | null)[]): Promise<void> {
  const shas = [...files.map((f) => f.sha256), ...evalSha.filter((s): s is string => Boolean(s))];
  for (const sha of await unreferencedBlobs(shas)) await removeBlob(sha);
}

const filesOf = (v: ModelVersionRow) => (Array.isArray(v.files) ? (v.files as unknown as StoredFile[]) : []);

/** Deletes an uploaded model with its versions; refused while it is a task default. */
export async function deleteModel(actor: Actor, id: string): Promise<void> {
  const row = await registryModel(id);
  uploaded(row, "deletion");
  if (row.isDefault) throw new ServiceError("model_in_use", `${id} is the default ${row.task} model: promote another before deleting it.`, { param: "id" });
  await deleteModelRow(id);
  await dropFiles(row.versions.flatMap(filesOf), row.versions.map((v) => v.evalSha256));
  await changed(actor, "model.delete", id, { versions: row.versions.map((v) => v.version) });
}

/** Deletes one version; refused while it takes traffic (move it first — one PATCH) or is the model's last. */
export async function deleteVersion(actor: Actor, id: string, version: string): Promise<void> {
  const row = await registryModel(id);
  uploaded(row, "deleting a version");
  const v = row.versions.find((x) => x.version === version);
  if (!v) throw new ServiceError("not_found", `Model ${id} has no version "${version}".`, { param: "version" });
  if (row.versions.length === 1) throw new ServiceError("model_in_use", `${version} is the only version of ${id}: delete the model instead.`, { param: "version" });
  if (v.trafficPercent > 0) throw new ServiceError("model_in_use", `Version ${version} takes ${v.trafficPercent} % of ${id}'s traffic: move it to another version first.`, { param: "version" });
  await deleteVersionRow(id, version);
  await dropFiles(filesOf(v), [v.evalSha256]);
  await changed(actor, "model.version.delete", id, { version });
}
