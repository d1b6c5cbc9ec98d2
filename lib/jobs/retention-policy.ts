import { env } from "@/lib/config/env";

/** When a job finishing now is deleted (its input and result): PARETO_JOB_RETENTION_DAYS from now. */
export function retentionEnd(now = Date.now()): Date {
  return new Date(now + env.jobRetentionDays() * 24 * 3600 * 1000);
}
