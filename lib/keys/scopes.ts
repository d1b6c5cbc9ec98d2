/**
 * Key scopes. Permissions: `read` (list models, own usage) and `inference` (run models; implies read).
 * Optional resource restrictions narrow what `inference` may run: `task:ocr`, `model:silero-vad-v5`, …
 * A key with no restriction may run every model.
 */
import { z } from "zod";

export const PERMISSIONS = ["read", "inference"] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const scopeSchema = z
  .string()
  .max(100)
  .regex(/^(read|inference|task:(ocr|vad)|model:[a-z0-9][a-z0-9-]{0,63})$/, {
    error: "scopes are read, inference, task:ocr, task:vad or model:<model id>",
  });

export const scopesSchema = z.array(scopeSchema).min(1).max(32).refine((s) => s.includes("read") || s.includes("inference"), {
  error: "a key needs the read or inference permission",
});

export const DEFAULT_SCOPES = ["inference"] as const;

export function parseScopes(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((s): s is string => typeof s === "string") : [];
}

export function allows(scopes: readonly string[], need: Permission, target?: { modelId: string; task: string }): boolean {
  const perm = need === "read" ? scopes.includes("read") || scopes.includes("inference") : scopes.includes("inference");
  if (!perm) return false;
  if (!target) return true;
  const restrictions = scopes.filter((s) => s.startsWith("task:") || s.startsWith("model:"));
  if (!restrictions.length) return true;
  return restrictions.includes(`task:${target.task}`) || restrictions.includes(`model:${target.modelId}`);
}
