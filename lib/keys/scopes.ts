/**
 * Key scopes. Permissions: `read` (model metadata), `inference` (run models; implies read) and `usage:read` (the
 * account's usage and its CSV export). `inference` does not imply `usage:read`: a key handed to one service should
 * not show what every other key of the account did.
 * Optional resource restrictions narrow what `inference` may run: `task:ocr`, `model:silero-vad-v5`, …
 * A key with no restriction may run every model. A restricted key with `usage:read` sees only its own usage.
 */
import { z } from "zod";

export const PERMISSIONS = ["read", "inference", "usage:read"] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const scopeSchema = z
  .string()
  .max(100)
  .regex(/^(read|inference|usage:read|task:(ocr|vad|tensor|text)|model:[a-z0-9][a-z0-9-]{0,63})$/, {
    error: "scopes are read, inference, usage:read, task:ocr, task:vad, task:tensor, task:text or model:<model id>",
  });

export const scopesSchema = z
  .array(scopeSchema)
  .min(1)
  .max(32)
  .refine((s) => PERMISSIONS.some((p) => s.includes(p)), {
    error: "a key needs the read, inference or usage:read permission",
  });

/** A key created without scopes: runs every model and reads the account's usage, as keys always could. */
export const DEFAULT_SCOPES = ["inference", "usage:read"] as const;

export function parseScopes(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((s): s is string => typeof s === "string") : [];
}

/** The key is restricted to some tasks or models (`task:…`, `model:…`). */
export function isRestricted(scopes: readonly string[]): boolean {
  return scopes.some((s) => s.startsWith("task:") || s.startsWith("model:"));
}

function hasPermission(scopes: readonly string[], need: Permission): boolean {
  if (need === "read") return scopes.includes("read") || scopes.includes("inference");
  return scopes.includes(need);
}

export function allows(scopes: readonly string[], need: Permission, target?: { modelId: string; task: string }): boolean {
  if (!hasPermission(scopes, need)) return false;
  if (!target) return true;
  const restrictions = scopes.filter((s) => s.startsWith("task:") || s.startsWith("model:"));
  if (!restrictions.length) return true;
  return restrictions.includes(`task:${target.task}`) || restrictions.includes(`model:${target.modelId}`);
}

/**
 * Whose usage a key with `usage:read` may see: the whole account when it is unrestricted, only its own requests
 * when it is restricted to some models (it must not learn other keys' names or traffic).
 */
export function usageView(key: { id: string; scopes: readonly string[] } | undefined): { onlyKey?: string } {
  return key && isRestricted(key.scopes) ? { onlyKey: key.id } : {};
}
