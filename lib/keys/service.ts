import "server-only";
import { writeAudit } from "@/lib/db/audit";
import { findKeyOf, insertKey, listKeysOf, revokeKeyOf, rotateKeyOf, touchKey, type KeyRow } from "@/lib/db/keys";
import { hashKey, newKey } from "./material";
import { principalChanged } from "./principal-channel";
import { cachedKey, type CachedKey } from "./principal-store";
import { parseScopes } from "./scopes";

export interface CreateKeyInput {
  name: string;
  scopes: string[];
  expiresAt?: Date | null;
  requestsPerMinute?: number | null;
  concurrentRequests?: number | null;
  monthlyRequests?: number | null;
  monthlyComputeMs?: number | null;
}

export interface Actor {
  id: string;
  email: string;
  ip?: string | null;
}

/** Creates a key; the returned `key` is the only copy that will ever exist. */
export async function createKey(actor: Actor, input: CreateKeyInput): Promise<{ key: string; row: KeyRow }> {
  const material = newKey();
  const row = await insertKey({ userId: actor.id, ...input, expiresAt: input.expiresAt ?? null, prefix: material.prefix, hash: material.hash });
  await writeAudit({ actorId: actor.id, actorEmail: actor.email, action: "key.create", targetType: "api_key", targetId: row.id, ip: actor.ip, details: { name: row.name, prefix: row.prefix, scopes: input.scopes } });
  return { key: material.key, row };
}

export function listKeys(userId: string) {
  return listKeysOf(userId);
}

export function getKey(userId: string, id: string) {
  return findKeyOf(userId, id);
}

export async function revokeKey(actor: Actor, id: string): Promise<KeyRow | null> {
  if (!(await revokeKeyOf(actor.id, id))) return null;
  await principalChanged({ keyId: id });
  await writeAudit({ actorId: actor.id, actorEmail: actor.email, action: "key.revoke", targetType: "api_key", targetId: id, ip: actor.ip });
  return findKeyOf(actor.id, id);
}

/** Issues a new key with the old one's name, scopes, expiry and limits, and revokes the old one. */
export async function rotateKey(actor: Actor, id: string): Promise<{ key: string; row: KeyRow } | null> {
  const old = await findKeyOf(actor.id, id);
  if (!old || old.revokedAt) return null;
  const material = newKey();
  const row = await rotateKeyOf(actor.id, id, {
    userId: actor.id,
    name: old.name,
    prefix: material.prefix,
    hash: material.hash,
    scopes: parseScopes(old.scopes),
    expiresAt: old.expiresAt,
    requestsPerMinute: old.requestsPerMinute,
    concurrentRequests: old.concurrentRequests,
    monthlyRequests: old.monthlyRequests,
    monthlyComputeMs: old.monthlyComputeMs,
  });
  if (!row) return null;
  await principalChanged({ keyId: id });
  await writeAudit({ actorId: actor.id, actorEmail: actor.email, action: "key.rotate", targetType: "api_key", targetId: id, ip: actor.ip, details: { newKeyId: row.id } });
  return { key: material.key, row };
}

export type Verification =
  | { ok: true; key: CachedKey }
  | { ok: false; code: "invalid_api_key" | "revoked_api_key" | "expired_api_key" | "account_disabled" };

/**
 * lookup → revoked → expired → owner disabled. Scope, limits and quota follow in the request pipeline. The lookup
 * is served from memory (principal-store.ts); expiry is checked here, on every use.
 */
export async function verifyKey(raw: string, now = Date.now()): Promise<Verification> {
  const key = await cachedKey(hashKey(raw));
  if (!key) return { ok: false, code: "invalid_api_key" };
  if (key.revoked) return { ok: false, code: "revoked_api_key" };
  if (key.expiresAt !== null && key.expiresAt <= now) return { ok: false, code: "expired_api_key" };
  if (key.user.disabled) return { ok: false, code: "account_disabled" };
  // At most one write per key per minute (lib/db/keys.ts); bookkeeping must never fail a request.
  void touchKey(key.id, now).catch(() => undefined);
  return { ok: true, key };
}
