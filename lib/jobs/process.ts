import "server-only";
import { env } from "@/lib/config/env";
import { log } from "@/lib/log";
import { instanceId } from "@/lib/metering/instance";
import { sweepExpiredJobs } from "./retention";
import { startJobRunner, type JobRunner } from "./runner";

/**
 * The process-wide job machinery, started once by boot: the runner (PARETO_JOB_WORKERS jobs at a time; 0 = this
 * instance only accepts jobs) and the hourly retention sweep. On globalThis: boot and shutdown live in different
 * Next.js layers.
 */
const g = globalThis as unknown as { __paretoJobs?: { runner: JobRunner | null; sweep: NodeJS.Timeout } };

const HOUR_MS = 3_600_000;

export function startJobs(): void {
  if (g.__paretoJobs) return;
  const workers = env.jobWorkers();
  const runner = workers > 0 ? startJobRunner({ workers, owner: instanceId() }) : null;
  const run = () => sweepExpiredJobs().catch((e: unknown) => log("warn", "job retention sweep failed; retrying in an hour", { error: e instanceof Error ? e.message : String(e) }));
  void run();
  const sweep = setInterval(run, HOUR_MS);
  sweep.unref();
  g.__paretoJobs = { runner, sweep };
  log("info", "jobs: runner started", { workers });
}

/** Shutdown: running jobs stop at once and give their leases back, to be resumed from their last unit. */
export async function stopJobs(): Promise<void> {
  const j = g.__paretoJobs;
  if (!j) return;
  g.__paretoJobs = undefined;
  clearInterval(j.sweep);
  await j.runner?.stop();
}
