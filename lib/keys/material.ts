/**
 * API key material: `pk_` + 32 random bytes (base64url). Only the SHA-256 of the key and a short display prefix
 * are ever stored; the key itself exists in the response that creates it and nowhere else.
 */
import crypto from "node:crypto";

export const KEY_PREFIX = "pk_";
const RANDOM_BYTES = 32;
/** `pk_` + 43 base64url characters. */
export const KEY_PATTERN = /^pk_[A-Za-z0-9_-]{43}$/;

export function hashKey(key: string): string {
  return crypto.createHash("sha256").update(key, "utf8").digest("hex");
}

export function displayPrefix(key: string): string {
  return key.slice(0, KEY_PREFIX.length + 6);
}

export function newKey(): { key: string; hash: string; prefix: string } {
  const key = KEY_PREFIX + crypto.randomBytes(RANDOM_BYTES).toString("base64url");
  return { key, hash: hashKey(key), prefix: displayPrefix(key) };
}

/** Extracts the key from `Authorization: Bearer pk_…`; distinguishes "none" from "not a Pareto key". */
export function bearerKey(header: string | null): { kind: "missing" } | { kind: "malformed" } | { kind: "key"; key: string } {
  if (!header || !header.trim()) return { kind: "missing" };
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m || !KEY_PATTERN.test(m[1])) return { kind: "malformed" };
  return { kind: "key", key: m[1] };
}
