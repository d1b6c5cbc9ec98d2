import "server-only";
import { db, type Prisma } from "./client";

/**
 * Webhook deliveries and the per-user signing secret. The delivery table is the queue: a dispatcher claims a due
 * row by setting `lockedBy`/`lockedUntil` in one conditional UPDATE (only one instance's UPDATE matches), sends it,
 * and writes the outcome back guarded by its own lock, so an instance whose lease expired cannot overwrite the
 * outcome of the one that took the row over. Plain UPDATE … WHERE works the same on SQLite and PostgreSQL.
 */

export type DeliveryStatus = "pending" | "delivered" | "failed";

/** One attempt as stored in `log` (camelCase in the row; the API turns it into snake_case). */
export interface AttemptLog {
  at: string;
  status?: number;
  error?: string;
  durationMs: number;
}

export interface NewDelivery {
  id: string;
  jobId: string;
  userId: string;
  url: string;
  event: string;
  payload: Prisma.InputJsonValue;
  at: Date;
}

export const deliverySelect = {
  id: true,
  jobId: true,
  userId: true,
  url: true,
  event: true,
  payload: true,
  status: true,
  attempts: true,
  log: true,
  nextAttemptAt: true,
  createdAt: true,
  deliveredAt: true,
} as const;

export type DeliveryRow = Prisma.WebhookDeliveryGetPayload<{ select: typeof deliverySelect }>;

export async function insertDelivery(d: NewDelivery): Promise<void> {
  await db().webhookDelivery.create({
    data: { id: d.id, jobId: d.jobId, userId: d.userId, url: d.url, event: d.event, payload: d.payload, status: "pending", attempts: 0, log: [], nextAttemptAt: d.at, createdAt: d.at },
  });
}

export function listDeliveryRows(jobId: string): Promise<DeliveryRow[]> {
  return db().webhookDelivery.findMany({ where: { jobId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: deliverySelect });
}

/** Rows due now whose lease is free or expired: candidates only — `claimDelivery` decides who takes each. */
export async function dueDeliveryIds(now: Date, limit: number): Promise<string[]> {
  const rows = await db().webhookDelivery.findMany({
    where: { status: "pending", nextAttemptAt: { lte: now }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
    orderBy: { nextAttemptAt: "asc" },
    take: limit,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

/**
 * Takes the row for `instanceId` until `until`, in one UPDATE whose WHERE repeats the "due and free" test: of
 * several instances racing for it, exactly one sees a count of 1. Returns the row as claimed, or null.
 */
export async function claimDelivery(id: string, instanceId: string, now: Date, until: Date): Promise<DeliveryRow | null> {
  const r = await db().webhookDelivery.updateMany({
    where: { id, status: "pending", nextAttemptAt: { lte: now }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
    data: { lockedBy: instanceId, lockedUntil: until },
  });
  if (r.count !== 1) return null;
  return db().webhookDelivery.findFirst({ where: { id, lockedBy: instanceId }, select: deliverySelect });
}

export interface AttemptOutcome {
  status: DeliveryStatus;
  attempts: number;
  log: AttemptLog[];
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
}

/** Records an attempt and frees the row; false when the lease was lost to another instance meanwhile. */
export async function finishAttempt(id: string, instanceId: string, o: AttemptOutcome): Promise<boolean> {
  const r = await db().webhookDelivery.updateMany({
    where: { id, lockedBy: instanceId },
    data: { status: o.status, attempts: o.attempts, log: o.log as unknown as Prisma.InputJsonValue, nextAttemptAt: o.nextAttemptAt, deliveredAt: o.deliveredAt, lockedBy: null, lockedUntil: null },
  });
  return r.count === 1;
}

/** Gives the row back untouched (the instance is stopping mid-attempt): another instance sends it soon. */
export async function releaseDelivery(id: string, instanceId: string): Promise<void> {
  await db().webhookDelivery.updateMany({ where: { id, lockedBy: instanceId }, data: { lockedBy: null, lockedUntil: null } });
}

export async function webhookSecretOf(userId: string): Promise<{ secret: string | null } | null> {
  const u = await db().user.findUnique({ where: { id: userId }, select: { webhookSecret: true } });
  return u ? { secret: u.webhookSecret } : null;
}

/** Sets the secret only if the user has none yet: two first uses at once agree on one secret. */
export async function setWebhookSecretIfUnset(userId: string, secret: string): Promise<void> {
  await db().user.updateMany({ where: { id: userId, webhookSecret: null }, data: { webhookSecret: secret } });
}

export async function replaceWebhookSecret(userId: string, secret: string): Promise<boolean> {
  const r = await db().user.updateMany({ where: { id: userId }, data: { webhookSecret: secret } });
  return r.count === 1;
}
