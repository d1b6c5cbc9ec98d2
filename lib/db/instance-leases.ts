import "server-only";
import { db } from "./client";

/**
 * Instance leases (lib/metering/instance.ts): each running instance renews its row; one that stops renewing has died
 * (or lost the database) once `expiresAt` passes, and the reservations it owns are released by the sweeper.
 */

/** Creates or extends this instance's lease until `expiresAt`. */
export async function renewLease(instanceId: string, expiresAt: Date): Promise<void> {
  await db().instanceLease.upsert({ where: { instanceId }, create: { instanceId, expiresAt }, update: { expiresAt } });
}

/** Owners whose lease lapsed before `now`. */
export async function lapsedLeaseOwners(now: Date): Promise<string[]> {
  const rows = await db().instanceLease.findMany({ where: { expiresAt: { lt: now } }, select: { instanceId: true }, take: 1_000 });
  return rows.map((r) => r.instanceId);
}

/** Forgets leases that lapsed before `before`. */
export async function pruneLapsedLeases(before: Date): Promise<void> {
  await db().instanceLease.deleteMany({ where: { expiresAt: { lt: before } } });
}
