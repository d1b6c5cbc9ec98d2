import "server-only";
import { deleteJob, expiredJobs } from "@/lib/db/jobs";
import { log } from "@/lib/log";
import { removeInput } from "./input-store";

/**
 * Deletes jobs whose retention (PARETO_JOB_RETENTION_DAYS after they ended) has passed: the input file here and in
 * the database, the units, the deliveries and the row. Their usage events stay (usage has its own retention).
 * Any instance may sweep; deleting twice is harmless.
 */
export async function sweepExpiredJobs(now = new Date()): Promise<number> {
  let n = 0;
  for (;;) {
    const batch = await expiredJobs(now, 100);
    for (const { id } of batch) {
      await removeInput(id);
      await deleteJob(id);
      n++;
    }
    if (batch.length < 100) break;
  }
  if (n) log("info", "expired jobs deleted", { jobs: n });
  return n;
}
