import "server-only";
import { env } from "@/lib/config/env";
import { disconnectDb } from "@/lib/db/client";
import { stopPrincipalChannel } from "@/lib/keys/principal-channel";
import { log } from "@/lib/log";
import { endInstanceLease } from "@/lib/metering/instance";
import { returnQuotaLeases } from "@/lib/metering/quota-leases";
import { usageWriter } from "@/lib/metering/usage";
import { stopRegistryWatch } from "@/lib/registry/notify";
import { closeRuntime } from "@/lib/runtime";
import { stopLocalBenchmark } from "@/lib/selection/jobs";
import { stopLocalTraining } from "@/lib/training/runs";
import { stopJobs } from "@/lib/jobs/process";

/**
 * Graceful stop on SIGTERM/SIGINT (scripts/start.mjs runs Next with NEXT_MANUAL_SIG_HANDLE so this is the only
 * handler; boot installs it first): refuse new requests with 503 (lib/api/route.ts), let in-flight ones finish,
 * write their quota use back and return this instance's quota leases, write every buffered usage event, close the key
 * invalidation channel, stop the workers, close the database, exit 0. A load balancer retries the 503s on another instance.
 */
const g = globalThis as unknown as { __paretoShutdown?: { draining: boolean; inflight: number; installed: boolean } };
const state = (g.__paretoShutdown ??= { draining: false, inflight: 0, installed: false });

/** Longer than a request may take (its deadline), so a request that is still running when we stop can finish. */
const drainLimitMs = () => env.requestTimeoutMs() + 5_000;

export function isDraining(): boolean {
  return state.draining;
}

/** Counts a request in flight; call the returned function when it is done. */
export function trackRequest(): () => void {
  state.inflight++;
  let done = false;
  return () => {
    if (!done) state.inflight--;
    done = true;
  };
}

async function stop(signal: string): Promise<void> {
  if (state.draining) {
    // A second signal is the operator insisting: stop now.
    log("warn", "second signal: exiting without draining", { signal, inflight: state.inflight });
    process.exit(1);
  }
  state.draining = true;
  log("info", "shutting down: draining in-flight requests", { signal, inflight: state.inflight });
  const deadline = Date.now() + drainLimitMs();
  // A benchmark run of this process stops with the requests, so its row is closed now, not found stale later.
  const benchmark = stopLocalBenchmark();
  // A training run of this process stops now and is recorded as interrupted (a restart would find it anyway).
  // Running jobs stop at their current unit and give their leases back (resumed from their last recorded unit).
  const jobs = stopJobs().catch((e: unknown) => log("warn", "jobs not stopped", { error: e instanceof Error ? e.message : String(e) }));
  const training = stopLocalTraining().catch((e: unknown) => log("warn", "training run not stopped", { error: e instanceof Error ? e.message : String(e) }));
  while (state.inflight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  try {
    await benchmark;
    await training;
    await jobs;
    // Use counted against quota leases goes on the counters (before the usage events that record it), and what the
    // leases still hold goes back, before the instance lease ends.
    await returnQuotaLeases().catch((e: unknown) => log("warn", "quota leases not returned", { error: e instanceof Error ? e.message : String(e) }));
    await usageWriter().flush();
    log("info", "usage events flushed", { written: usageWriter().written, accepted: usageWriter().accepted });
    // Every request has settled: nothing of ours is left to release, and a lapsed lease says so at once.
    await endInstanceLease().catch((e: unknown) => log("warn", "instance lease not ended", { error: e instanceof Error ? e.message : String(e) }));
    await stopPrincipalChannel();
    await stopRegistryWatch();
    await closeRuntime();
    await disconnectDb();
  } catch (e) {
    log("error", "shutdown step failed", { error: e instanceof Error ? e.message : String(e) });
    process.exit(1);
  }
  process.exit(0);
}

export function installShutdown(): void {
  if (state.installed) return;
  state.installed = true;
  for (const sig of ["SIGTERM", "SIGINT"] as const) process.on(sig, () => void stop(sig));
}
