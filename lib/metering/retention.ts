import "server-only";
import { env } from "@/lib/config/env";
import { rollUpUsageBefore } from "@/lib/db/usage-rollup";

const DAY = 86_400_000;

/**
 * The retention cutoff: UTC midnight PARETO_USAGE_RETENTION_DAYS ago, so a day is either wholly raw or wholly
 * rolled up (per-day figures then never mix the two).
 */
export function retentionCutoff(now = Date.now()): Date {
  const t = now - env.usageRetentionDays() * DAY;
  return new Date(t - (t % DAY));
}

/** Rolls up and deletes raw usage events past the retention window; returns how many. */
export function applyUsageRetention(now = Date.now()): Promise<number> {
  return rollUpUsageBefore(retentionCutoff(now));
}
