import "server-only";
import type { Plan } from "@/lib/auth/admin";
import { planOutput } from "../schemas/admin";

/** A plan and its limits as the admin API shows it. */
export function presentPlan(p: Plan) {
  return planOutput.parse({
    id: p.id,
    name: p.name,
    default: p.isDefault,
    requests_per_minute: p.requestsPerMinute,
    concurrent_requests: p.concurrentRequests,
    monthly_requests: p.monthlyRequests,
    monthly_compute_ms: p.monthlyComputeMs,
  });
}
