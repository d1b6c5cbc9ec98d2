import "server-only";
import fsp from "node:fs/promises";
import path from "node:path";
import { deleteJob, expiredJobs, jobExpiries } from "@/lib/db/jobs";
import { log } from "@/lib/log";
import { jobsDir, removeInput, removeLocalInput } from "./input-store";

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
  await sweepLocalCopies(now);
  return n;
}

/** A folder with no job row this old is an upload that never became a job (its process died mid-upload). */
const ORPHAN_AGE_MS = 3_600_000;

/**
 * This instance's copies of inputs whose job is gone or expired: on PostgreSQL every instance that ran or served a
 * job keeps a copy, and only one instance's sweep deletes the row. Also uploads that never became a job.
 */
async function sweepLocalCopies(now: Date): Promise<void> {
  const names = (await fsp.readdir(jobsDir()).catch(() => [] as string[])).filter((n) => n.startsWith("job_"));
  for (let i = 0; i < names.length; i += 200) {
    const batch = names.slice(i, i + 200);
    const known = new Map((await jobExpiries(batch)).map((j) => [j.id, j.expiresAt]));
    for (const id of batch) {
      const expires = known.get(id);
      if (known.has(id) && !(expires && expires < now)) continue;
      if (!known.has(id)) {
        const st = await fsp.stat(path.join(jobsDir(), id)).catch(() => null);
        if (!st || now.getTime() - st.mtimeMs < ORPHAN_AGE_MS) continue;
      }
      await removeLocalInput(id);
    }
  }
}
