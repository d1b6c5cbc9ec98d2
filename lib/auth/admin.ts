import "server-only";
import { ApiError } from "@/lib/api/errors";
import { planOutput } from "@/lib/api/schemas/admin";
import { writeAudit } from "@/lib/db/audit";
import { findPlanById, findPlanByName, listPlans, updatePlanLimits } from "@/lib/db/plans";
import { updateUser, userExists } from "@/lib/db/users";
import type { SessionUser } from "./session";

type Plan = NonNullable<Awaited<ReturnType<typeof findPlanById>>>;

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

export async function allPlans() {
  return (await listPlans()).map(presentPlan);
}

/** Limits are read from the database on every request, so an edit applies to the next one. */
export async function editPlan(actor: SessionUser, id: string, patch: { requests_per_minute?: number; concurrent_requests?: number; monthly_requests?: number; monthly_compute_ms?: number }) {
  if (!(await findPlanById(id))) throw new ApiError("not_found", "No such plan.", { param: "id" });
  const p = await updatePlanLimits(id, {
    requestsPerMinute: patch.requests_per_minute,
    concurrentRequests: patch.concurrent_requests,
    monthlyRequests: patch.monthly_requests,
    monthlyComputeMs: patch.monthly_compute_ms,
  });
  await writeAudit({ actorId: actor.id, actorEmail: actor.email, action: "plan.update", targetType: "plan", targetId: id, details: patch });
  return presentPlan(p);
}

export async function editUser(actor: SessionUser, id: string, patch: { role?: "USER" | "ADMIN"; plan?: string; disabled?: boolean }) {
  if (!(await userExists(id))) throw new ApiError("not_found", "No such user.", { param: "id" });
  // An admin cannot lock themselves out; another admin has to do it.
  if (id === actor.id && (patch.disabled || patch.role === "USER")) {
    throw new ApiError("forbidden", "You cannot disable or demote your own account.");
  }
  let planId: string | undefined;
  if (patch.plan) {
    const plan = await findPlanByName(patch.plan);
    if (!plan) throw new ApiError("validation_error", `No plan named "${patch.plan}".`, { param: "plan" });
    planId = plan.id;
  }
  const u = await updateUser(id, { role: patch.role, planId, disabled: patch.disabled });
  await writeAudit({ actorId: actor.id, actorEmail: actor.email, action: "user.update", targetType: "user", targetId: id, details: patch });
  return u;
}
