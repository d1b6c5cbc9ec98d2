import "server-only";
import { db } from "./client";

export interface PlanLimits {
  requestsPerMinute: number;
  concurrentRequests: number;
  monthlyRequests: number;
  monthlyComputeMs: number;
}

/**
 * Seeded once (never overwritten, so an admin's edits survive restarts). Compute is metered in milliseconds of
 * measured inference time: one OCR image costs ~100–400 ms here, one minute of audio through VAD ~150 ms.
 */
export const DEFAULT_PLANS: readonly ({ name: string; isDefault: boolean; sortOrder: number } & PlanLimits)[] = [
  { name: "Free", isDefault: true, sortOrder: 0, requestsPerMinute: 30, concurrentRequests: 2, monthlyRequests: 1_000, monthlyComputeMs: 10 * 60_000 },
  { name: "Pro", isDefault: false, sortOrder: 1, requestsPerMinute: 300, concurrentRequests: 8, monthlyRequests: 100_000, monthlyComputeMs: 10 * 3_600_000 },
  { name: "Enterprise", isDefault: false, sortOrder: 2, requestsPerMinute: 3_000, concurrentRequests: 32, monthlyRequests: 10_000_000, monthlyComputeMs: 500 * 3_600_000 },
];

export async function seedPlans(): Promise<void> {
  for (const p of DEFAULT_PLANS) {
    try {
      await db().plan.upsert({ where: { name: p.name }, create: p, update: {} });
    } catch (e) {
      // An upsert with nothing to update is a find-then-create: another instance starting at the same moment
      // may create the plan in between. It exists either way.
      if ((e as { code?: string }).code !== "P2002") throw e;
    }
  }
}

export function listPlans() {
  return db().plan.findMany({ orderBy: { sortOrder: "asc" } });
}

export function findPlanByName(name: string) {
  return db().plan.findFirst({ where: { name } });
}

export function defaultPlan() {
  return db().plan.findFirst({ where: { isDefault: true }, orderBy: { sortOrder: "asc" } });
}

/** A plan's limits as metering reads them. */
export const planLimitsSelect = { id: true, name: true, requestsPerMinute: true, concurrentRequests: true, monthlyRequests: true, monthlyComputeMs: true } as const;

export function findPlanLimits(id: string) {
  return db().plan.findUnique({ where: { id }, select: planLimitsSelect });
}

export function findPlanById(id: string) {
  return db().plan.findUnique({ where: { id } });
}

export function updatePlanLimits(id: string, data: Partial<PlanLimits>) {
  return db().plan.update({ where: { id }, data });
}
