import "server-only";
import { env } from "@/lib/config/env";
import { sweepExpiredReservations } from "@/lib/metering/quota";
import { log } from "@/lib/log";
import { getRuntime } from "@/lib/runtime";
import { installShutdown } from "@/lib/shutdown";
import { maybeStartAutoBenchmark } from "@/lib/selection/jobs";

/**
 * Process-level start-up of the web server, run once on the first request that needs it (Next.js has no
 * other hook here without an instrumentation file): warm the runtime (PARETO_PRELOAD), and release quota
 * reservations left by instances that died mid-request, now and every minute (PARETO_RESERVATION_SWEEP_MS).
 */
const g = globalThis as unknown as { __paretoStarted?: boolean };

export function ensureStarted(): void {
  // `next build` renders some pages to collect their data: it must not start workers or touch the database.
  if (g.__paretoStarted || process.env.NEXT_PHASE === "phase-production-build") return;
  g.__paretoStarted = true;
  installShutdown();
  getRuntime();
  const sweep = () =>
    sweepExpiredReservations()
      .then((n) => n && log("info", "released stale quota reservations", { count: n }))
      .catch((e: unknown) => log("warn", "reservation sweep failed", { error: e instanceof Error ? e.message : String(e) }));
  void sweep();
  setInterval(sweep, env.reservationSweepMs() || 60_000).unref();
  // No figures for this host yet: measure every variant in the background (PARETO_AUTO_BENCHMARK=0 skips it).
  maybeStartAutoBenchmark();
}
