import "server-only";
import crypto from "node:crypto";
import { env } from "@/lib/config/env";
import { renewLease } from "@/lib/db/instance-leases";
import { log } from "@/lib/log";

/**
 * This process's identity among the instances sharing a database, and its lease: a row it renews every third of
 * PARETO_INSTANCE_LEASE_MS. The quota reservations and quota leases it takes name it as their owner; when it stops
 * renewing (kill -9, a crash, a partition) the lease lapses and any instance's sweeper releases those — within a
 * lease and a sweep, instead of the request deadline. Instances compare lease times with their own clocks: keep them
 * in sync (NTP) to well under a lease.
 */
interface Lease {
  timer?: NodeJS.Timeout;
  ended: boolean;
  /** The expiry the last successful renewal wrote (ms): until then no sweeper touches what this instance owns. */
  validUntil: number;
  /** Bumped when a renewal lands after the lease had lapsed: what was owned before may have been reclaimed. */
  epoch: number;
}

const g = globalThis as unknown as { __paretoInstance?: string; __paretoLease?: Lease };

export function instanceId(): string {
  g.__paretoInstance ??= crypto.randomUUID();
  return g.__paretoInstance;
}

async function renew(lease: Lease): Promise<void> {
  const until = Date.now() + env.instanceLeaseMs();
  await renewLease(instanceId(), new Date(until));
  if (lease.validUntil < Date.now()) lease.epoch++;
  lease.validUntil = Math.max(lease.validUntil, until);
}

/**
 * The epoch of this instance's lease while it is safely live — its last renewal's expiry at least a third of a lease
 * away, so a renewal or two may fail before it matters — or null. Quota leases are used only while this answers
 * their epoch: past it the sweeper may reclaim them, and the instance must not go on counting requests against them.
 */
export function liveLeaseEpoch(): number | null {
  const lease = g.__paretoLease;
  if (!lease || lease.ended) return null;
  return Date.now() < lease.validUntil - env.instanceLeaseMs() / 3 ? lease.epoch : null;
}

/** Writes this instance's lease (before it takes any reservation), then keeps renewing it. Idempotent. */
export async function startInstanceLease(): Promise<void> {
  if (g.__paretoLease) return;
  const lease: Lease = { ended: false, validUntil: 0, epoch: 0 };
  g.__paretoLease = lease;
  await renew(lease);
  lease.timer = setInterval(() => {
    if (lease.ended) return;
    renew(lease).catch((e: unknown) => log("warn", "instance lease not renewed", { error: e instanceof Error ? e.message : String(e) }));
  }, Math.max(250, Math.floor(env.instanceLeaseMs() / 3)));
  lease.timer.unref();
}

/** On a graceful stop, after the in-flight requests settled: lets the lease lapse now, so nothing of ours lingers. */
export async function endInstanceLease(): Promise<void> {
  const lease = g.__paretoLease;
  if (!lease || lease.ended) return;
  lease.ended = true;
  clearInterval(lease.timer);
  await renewLease(instanceId(), new Date());
}
