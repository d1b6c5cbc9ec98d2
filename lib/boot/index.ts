import "server-only";
import { startPrincipalChannel } from "@/lib/keys/principal-channel";
import { log } from "@/lib/log";
import { startLagMonitor } from "@/lib/metering/event-loop-lag";
import { startPendingMeasurements, startRegistry } from "@/lib/registry/boot";
import { startJobs } from "@/lib/jobs/process";
import { startTrainingSweep } from "@/lib/training/runs";
import { installPeerStamp } from "./peer-stamp";
import { bootState, setBootState, type BootStep } from "./state";
import { installShutdown, migrateDatabase, preloadModels, startBlobSweep, startFirstBenchmark, startRetention, startRuntime, startSweeper, validateConfig } from "./steps";

const g = globalThis as unknown as { __paretoBooted?: Promise<void> };

async function step(name: BootStep, run: () => unknown): Promise<void> {
  setBootState({ phase: "booting", step: name, attempt: 1 });
  try {
    await run();
  } catch (e) {
    const cause = e instanceof Error ? e.message : String(e);
    setBootState({ phase: "failed", step: name, cause });
    log("error", "boot failed", { step: name, error: cause, stack: e instanceof Error ? e.stack : undefined });
    // Never a half-started server: a bad setting or a migration that does not apply stops the process.
    process.exit(1);
  }
}

/**
 * The one place the web server starts (called once by instrumentation.ts, before Next serves any request).
 *
 * Awaited — Next holds every request until register() resolves — are only the instant steps: settings are valid
 * and SIGTERM drains. Everything that waits on something else runs in the background, so that the server answers
 * from its first second: /api/health says it is alive, /api/ready answers 503 "starting", other routes 503
 * `unavailable` and pages a "starting" notice (lib/boot/state.ts isServing). Holding register() instead would
 * leave every request — liveness probes included — hanging for as long as a database takes to come up, and an
 * orchestrator would restart the process in a loop. In order: the schema is made current (a database that does not
 * answer yet is retried with back-off); the runtime starts; stale reservations are swept — from here requests are
 * served; each task's default model is loaded — from here the instance is ready; then the first-start benchmark.
 */
export function boot(): Promise<void> {
  g.__paretoBooted ??= (async () => {
    await step("config", validateConfig);
    // Before any request is served: the socket address and protocol, for sign-in throttling, HSTS and cookies.
    await step("config", installPeerStamp);
    await step("signals", installShutdown);
    startLagMonitor();
    // Returns at once (it only opens a connection): until its subscription works, cached keys live 1 s.
    startPrincipalChannel();
    void (async () => {
      await step("database", migrateDatabase);
      await step("runtime", () => startRuntime());
      // Uploaded models join the runtime before the first request can name one.
      await step("runtime", startRegistry);
      await step("sweeper", startSweeper);
      // Training runs a stopped process left `running` (kill -9, a crash) are marked failed, now and every 10 s.
      startTrainingSweep();
      await step("preload", preloadModels);
      setBootState({ phase: "ready", readyAt: new Date() });
      // Jobs run once the interactive path is ready: they take the runtime at background priority.
      startJobs();
      log("info", "boot: ready");
      startRetention();
      startBlobSweep();
      startFirstBenchmark();
      startPendingMeasurements();
    })();
  })();
  return g.__paretoBooted;
}

export { bootState };
