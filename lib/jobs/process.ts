import "server-only";
import { env } from "@/lib/config/env";
import { log } from "@/lib/log";
import { instanceId } from "@/lib/metering/instance";
import { startWebhookDispatcher } from "@/lib/webhooks";
import { sweepUnannounced } from "./announce";
import { sweepExpiredJobs } from "./retention";
import { startJobRunner, type JobRunner } from "./runner";

/**
 * The process-wide job machinery, started once by boot: the runner (PARETO_JOB_WORKERS jobs at a time; 0 = this
 * instance only accepts jobs), the webhook dispatcher and the hourly retention sweep. On globalThis: boot and shutdown live in different
 * Next.js layers.
 */
const g = globalThis as unknown as { __paretoJobs?: { runner: JobRunner | null; webhooks: { stop(): Promise<void> }; sweep: NodeJS.Timeout; announce: NodeJS.Timeout } };

const HOUR_MS = 3_600_000;

export function startJobs(): void {
  if (g.__paretoJobs) return;
  const workers = env.jobWorkers();
  const runner = workers > 0 ? startJobRunner({ workers, owner: instanceId() }) : null;
  const run = () => sweepExpiredJobs().catch((e: unknown) => log("warn", "job retention sweep failed; retrying in an hour", { error: e instanceof Error ? e.message : String(e) }));
  void run();
  const sweep = setInterval(run, HOUR_MS);
  sweep.unref();
  // Jobs whose runner died between their end and its announcement (usage event, webhook), each minute.
  const announce = setInterval(() => void sweepUnannounced().catch((e: unknown) => log("warn", "job announcement sweep failed", { error: e instanceof Error ? e.message : String(e) })), 60_000);
  announce.unref();
  // Every instance delivers webhooks (deliveries are claimed one at a time from the database), runner or not.
  const webhooks = startWebhookDispatcher({ instanceId: instanceId() });
  g.__paretoJobs = { runner, webhooks, sweep, announce };
  log("info", "jobs: runner started", { workers });
}

/** Shutdown: running jobs stop at once and give their leases back, to be resumed from their last unit. */
export async function stopJobs(): Promise<void> {
  const j = g.__paretoJobs;
  if (!j) return;
  g.__paretoJobs = undefined;
  clearInterval(j.sweep);
  clearInterval(j.announce);
  await j.runner?.stop();
  await j.webhooks.stop();
}
