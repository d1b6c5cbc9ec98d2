import "server-only";
import crypto from "node:crypto";
import { env } from "@/lib/config/env";
import { renewLease } from "@/lib/db/instance-leases";
import { log } from "@/lib/log";

/**
 * This process's identity among the instances sharing a database, and its lease: a row it renews every third of
 * PARETO_INSTANCE_LEASE_MS. The quota reservations it takes name it as their owner; when it stops renewing (kill -9,
 * a crash, a partition) the lease lapses and any instance's sweeper releases those reservations — within a lease
 * and a sweep, instead of the request deadline. Instances compare lease times with their own clocks: keep them in
 * sync (NTP) to well under a lease.
 */
const g = globalThis as unknown as { __paretoInstance?: string; __paretoLease?: { timer?: NodeJS.Timeout; ended: boolean } };

export function instanceId(): string {
  g.__paretoInstance ??= crypto.randomUUID();
  return g.__paretoInstance;
}

const renew = () => renewLease(instanceId(), new Date(Date.now() + env.instanceLeaseMs()));

/** Writes this instance's lease (before it takes any reservation), then keeps renewing it. Idempotent. */
export async function startInstanceLease(): Promise<void> {
  if (g.__paretoLease) return;
  const lease: { timer?: NodeJS.Timeout; ended: boolean } = { ended: false };
  g.__paretoLease = lease;
  await renew();
  lease.timer = setInterval(() => {
    if (lease.ended) return;
    renew().catch((e: unknown) => log("warn", "instance lease not renewed", { error: e instanceof Error ? e.message : String(e) }));
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
