import "server-only";
import { env, validateEnv } from "@/lib/config/env";
import { ensureAdminFromEnv } from "@/lib/auth/bootstrap-admin";
import { migrateAndSeed } from "@/lib/db/bootstrap";
import { isDatabaseUnavailable } from "@/lib/db/failures";
import { log } from "@/lib/log";
import { startInstanceLease } from "@/lib/metering/instance";
import { sweepStaleReservations } from "@/lib/metering/quota";
import { applyUsageRetention } from "@/lib/metering/retention";
import { CATALOG, taskDefault } from "@/lib/models/catalog";
import { sweepIncompleteBlobs } from "@/lib/registry/blob-store";
import { runtimeConfigFromEnv, startRuntime } from "@/lib/runtime";
import { maybeStartAutoBenchmark } from "@/lib/selection/jobs";
import { defaultModel } from "@/lib/selection/resolve";
import { installShutdown } from "./shutdown";
import { setBootState } from "./state";

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Reads every setting once, so a bad value stops the process at start instead of failing some request later. */
export function validateConfig(): void {
  validateEnv();
  runtimeConfigFromEnv();
}

export { installShutdown };

/**
 * Migrations, seed data and the admin from the environment. A database that does not answer yet (a container
 * still starting) is retried with back-off, for as long as it takes; any other failure — a migration that does
 * not apply — is fatal.
 */
export async function migrateDatabase(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await migrateAndSeed();
      await ensureAdminFromEnv();
      return;
    } catch (e) {
      if (!isDatabaseUnavailable(e)) throw e;
      const waitMs = Math.min(30_000, 500 * 2 ** Math.min(attempt, 6));
      setBootState({ phase: "booting", step: "database", attempt, lastError: message(e).split("\n")[0] });
      log("warn", "boot: the database is unavailable; retrying", { attempt, retryInMs: waitMs, error: message(e).split("\n").filter(Boolean)[0] });
      await new Promise((r) => setTimeout(r, waitMs));
    }
  }
}

export { startRuntime };

/**
 * Takes this instance's lease (before any request can reserve or lease quota under it), then releases the
 * reservations and reclaims the quota leases of instances whose lease lapsed — now, then every
 * PARETO_RESERVATION_SWEEP_MS.
 */
export async function startSweeper(): Promise<void> {
  await startInstanceLease();
  const sweep = () =>
    sweepStaleReservations()
      .then(({ reservations, leases }) => {
        if (reservations) log("info", "released stale quota reservations", { count: reservations });
        if (leases) log("info", "reclaimed the quota leases of lapsed instances", { count: leases });
      })
      .catch((e: unknown) => log("warn", "reservation sweep failed", { error: message(e) }));
  void sweep();
  setInterval(sweep, env.reservationSweepMs()).unref();
}

/**
 * Usage retention: raw events past PARETO_USAGE_RETENTION_DAYS are rolled up per day and deleted — once boot is
 * ready (in the background, in batches), then daily. Instances running it at once are safe
 * (lib/db/usage-rollup.ts); the jitter spreads the daily runs of several instances.
 */
export function startRetention(): void {
  const run = () =>
    applyUsageRetention()
      .then((n) => n && log("info", "usage events rolled up past the retention window", { count: n, days: env.usageRetentionDays() }))
      .catch((e: unknown) => log("warn", "usage retention failed; retrying tomorrow", { error: message(e) }));
  void run();
  setInterval(run, 86_400_000 + Math.floor(Math.random() * 3_600_000)).unref();
}

const HOUR_MS = 3_600_000;

/**
 * Uploads that never finished (temp files, blobs whose rows were not all written: a crash, a killed instance) and
 * model files no blob row names any more (removed through another instance) are cleared once they are an hour old —
 * far past any upload in progress. From ready, then hourly; instances sweeping at once are safe (deletes only).
 */
export function startBlobSweep(): void {
  const run = () => sweepIncompleteBlobs(HOUR_MS).catch((e: unknown) => log("warn", "blob sweep failed; retrying in an hour", { error: message(e) }));
  void run();
  setInterval(run, HOUR_MS).unref();
}

/** Each task's default (as requests resolve it), plus PARETO_PRELOAD. */
async function preloadIds(): Promise<string[]> {
  const tasks = [...new Set(CATALOG.map((e) => e.task))];
  const defaults = await Promise.all(tasks.map(async (task) => (await defaultModel(task)).id));
  const spec = env.preload();
  const extra = spec === "all" ? CATALOG.map((e) => e.id) : spec;
  return [...new Set([...defaults, ...extra])];
}

/** Loads the models the first requests will use. A model that fails to load is FAILED with its reason, not fatal. */
export async function preloadModels(): Promise<void> {
  const rt = startRuntime();
  const ids = await preloadIds().catch((e: unknown) => {
    log("warn", "boot: the task defaults could not be read; preloading the catalog's", { error: message(e) });
    return [...new Set(CATALOG.map((e) => taskDefault(e.task).id))];
  });
  for (const id of ids) {
    await rt.load(id).catch((e: unknown) => log("warn", "boot: preload failed", { model: id, error: message(e) }));
  }
}

export { maybeStartAutoBenchmark as startFirstBenchmark };
