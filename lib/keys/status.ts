import type { KeyRow } from "@/lib/db/keys";

/** Whether a key can be used now: revocation wins over expiry. */
export function keyStatus(k: Pick<KeyRow, "revokedAt" | "expiresAt">, now = new Date()): "active" | "revoked" | "expired" {
  if (k.revokedAt) return "revoked";
  if (k.expiresAt && k.expiresAt <= now) return "expired";
  return "active";
}
