import "server-only";
import { claimJob } from "@/lib/db/jobs";
import { log } from "@/lib/log";
import { executeJob, LEASE_MS } from "./execute";
import { onWake } from "./wake";

/**
 * This process's job runner: claims jobs from the shared queue (the Job table) up to `workers` at a time and runs
 * them. It polls every second and is woken at once by a submission in this process. Stopping (shutdown) aborts
 * the running jobs, which give their leases back, and waits for them.
 */
const POLL_MS = 1_000;

export interface JobRunner {
  stop(): Promise<void>;
  /** Jobs this runner is running now. */
  running(): number;
}

export function startJobRunner(o: { workers: number; owner: string }): JobRunner {
  const stopping = new AbortController();
  const active = new Map<string, Promise<void>>();
  let filling = false;
  let again = false;

  const fill = async () => {
    if (filling) return void (again = true);
    filling = true;
    try {
      do {
        again = false;
        while (!stopping.signal.aborted && active.size < o.workers) {
          const claim = await claimJob(o.owner, LEASE_MS);
          if (!claim) break;
          log("info", "job claimed", { job: claim.id, attempt: claim.attempt });
          const p = executeJob(claim.id, claim.attempt, stopping.signal)
            .catch((e: unknown) => log("error", "job runner failed", { job: claim.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }))
            .finally(() => {
              active.delete(claim.id);
              void fill();
            });
          active.set(claim.id, p);
        }
      } while (again && !stopping.signal.aborted);
    } catch (e) {
      log("warn", "could not claim a job", { error: e instanceof Error ? e.message : String(e) });
    } finally {
      filling = false;
    }
  };

  const timer = setInterval(() => void fill(), POLL_MS);
  timer.unref();
  const unsubscribe = onWake(() => void fill());
  void fill();

  return {
    running: () => active.size,
    async stop() {
      clearInterval(timer);
      unsubscribe();
      stopping.abort();
      await Promise.allSettled([...active.values()]);
    },
  };
}
