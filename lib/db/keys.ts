import "server-only";
import { db, type Prisma } from "./client";
import { planLimitsSelect } from "./plans";

/** Columns a key owner may see (never the hash). */
export const keySelect = {
  id: true,
  name: true,
  prefix: true,
  scopes: true,
  expiresAt: true,
  revokedAt: true,
  lastUsedAt: true,
  requestsPerMinute: true,
  concurrentRequests: true,
  monthlyRequests: true,
  monthlyComputeMs: true,
  rotatedFromId: true,
  createdAt: true,
} as const;

export type KeyRow = Prisma.ApiKeyGetPayload<{ select: typeof keySelect }>;

export interface NewKeyRow {
  userId: string;
  name: string;
  prefix: string;
  hash: string;
  scopes: string[];
  expiresAt: Date | null;
  requestsPerMinute?: number | null;
  concurrentRequests?: number | null;
  monthlyRequests?: number | null;
  monthlyComputeMs?: number | null;
  rotatedFromId?: string | null;
}

export function insertKey(k: NewKeyRow): Promise<KeyRow> {
  return db().apiKey.create({ data: k, select: keySelect });
}

export function listKeysOf(userId: string): Promise<KeyRow[]> {
  return db().apiKey.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, select: keySelect });
}

/** Scoped to the owner: another user's key id simply isn't found. */
export function findKeyOf(userId: string, id: string): Promise<KeyRow | null> {
  return db().apiKey.findFirst({ where: { id, userId }, select: keySelect });
}

/**
 * The verification lookup, by hash: what authenticating a request needs of the key, its owner and the owner's plan
 * (lib/keys/principal-store.ts caches it, so a request rarely comes here).
 */
export function findKeyByHash(hash: string) {
  return db().apiKey.findUnique({
    where: { hash },
    select: {
      id: true,
      scopes: true,
      expiresAt: true,
      revokedAt: true,
      requestsPerMinute: true,
      concurrentRequests: true,
      monthlyRequests: true,
      monthlyComputeMs: true,
      user: { select: { id: true, email: true, role: true, disabled: true, plan: { select: planLimitsSelect } } },
    },
  });
}

export async function revokeKeyOf(userId: string, id: string, at = new Date()): Promise<boolean> {
  const r = await db().apiKey.updateMany({ where: { id, userId, revokedAt: null }, data: { revokedAt: at } });
  return r.count === 1;
}

/** Rotation in one transaction: the new key exists exactly when the old one is revoked. */
export function rotateKeyOf(userId: string, id: string, replacement: NewKeyRow) {
  return db().$transaction(async (tx) => {
    const r = await tx.apiKey.updateMany({ where: { id, userId, revokedAt: null }, data: { revokedAt: new Date() } });
    if (r.count !== 1) return null;
    return tx.apiKey.create({ data: { ...replacement, rotatedFromId: id }, select: keySelect });
  });
}

/**
 * Records use at most once a minute per key, with the condition in the statement itself, so N instances and N
 * concurrent requests still write at most once: `lastUsedAt` is accurate to about a minute (the keys page and the
 * API say so). On globalThis, so every copy of lib/ in the process shares one minute per key.
 */
const g = globalThis as unknown as { __paretoKeyTouched?: Map<string, number> };
const touched = (g.__paretoKeyTouched ??= new Map<string, number>());

export async function touchKey(id: string, now = Date.now()): Promise<void> {
  // This process wrote it less than a minute ago: skip the statement entirely (the hot path stays read-only).
  if (now - (touched.get(id) ?? 0) < 60_000) return;
  if (touched.size > 100_000) touched.clear();
  touched.set(id, now);
  const minuteAgo = new Date(now - 60_000);
  await db().apiKey.updateMany({ where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: minuteAgo } }] }, data: { lastUsedAt: new Date(now) } });
}
