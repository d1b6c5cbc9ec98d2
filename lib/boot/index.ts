import "server-only";
import { log } from "@/lib/log";
import { installPeerStamp } from "./peer-stamp";
import { bootState, setBootState, type BootStep } from "./state";
import { installShutdown, migrateDatabase, preloadModels, startFirstBenchmark, startRuntime, startSweeper, validateConfig } from "./steps";

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
 * Awaited — Next holds every request until register() resolves — are the steps a request relies on: settings are
 * valid, SIGTERM drains, the schema is current, the runtime exists, stale reservations are swept. They take well
 * under a second on a reachable database (a database still coming up is waited for, with back-off: until it
 * answers no request could be served anyway).
 *
 * In the background, so the server answers /api/health and serves pages at once, run the slow steps: loading each
 * task's default model (seconds; /api/ready answers 503 "starting" until it is done, so a load balancer sends
 * traffic only to a warm instance) and then the first-start benchmark (minutes; it must not hold readiness).
 */
export function boot(): Promise<void> {
  g.__paretoBooted ??= (async () => {
    await step("config", validateConfig);
    // Before any request is served: the socket address and protocol, for sign-in throttling, HSTS and cookies.
    await step("config", installPeerStamp);
    await step("signals", installShutdown);
    await step("database", migrateDatabase);
    await step("runtime", () => startRuntime());
    await step("sweeper", startSweeper);
    void (async () => {
      await step("preload", preloadModels);
      setBootState({ phase: "ready", readyAt: new Date() });
      log("info", "boot: ready");
      startFirstBenchmark();
    })();
  })();
  return g.__paretoBooted;
}

export { bootState };
