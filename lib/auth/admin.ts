import "server-only";
import { writeAudit } from "@/lib/db/audit";
import { findPlanById, findPlanByName, listPlans, updatePlanLimits } from "@/lib/db/plans";
import { updateUser, userExists } from "@/lib/db/users";
import { principalChanged } from "@/lib/keys/principal-channel";
import { ServiceError } from "@/lib/models/errors";
import type { SessionUser } from "./session";

export type Plan = NonNullable<Awaited<ReturnType<typeof findPlanById>>>;

export async function allPlans(): Promise<Plan[]> {
  return listPlans();
}

/** An edit applies to the next request: every instance drops what it cached of the plan (principal-channel.ts). */
export async function editPlan(actor: SessionUser, id: string, patch: { requests_per_minute?: number; concurrent_requests?: number; monthly_requests?: number; monthly_compute_ms?: number }): Promise<Plan> {
  if (!(await findPlanById(id))) throw new ServiceError("not_found", "No such plan.", { param: "id" });
  const p = await updatePlanLimits(id, {
    requestsPerMinute: patch.requests_per_minute,
    concurrentRequests: patch.concurrent_requests,
    monthlyRequests: patch.monthly_requests,
    monthlyComputeMs: patch.monthly_compute_ms,
  });
  await principalChanged({ planId: id });
  await writeAudit({ actorId: actor.id, actorEmail: actor.email, action: "plan.update", targetType: "plan", targetId: id, details: patch });
  return p;
}

export async function editUser(actor: SessionUser, id: string, patch: { role?: "USER" | "ADMIN"; plan?: string; disabled?: boolean }) {
  if (!(await userExists(id))) throw new ServiceError("not_found", "No such user.", { param: "id" });
  // An admin cannot lock themselves out; another admin has to do it.
  if (id === actor.id && (patch.disabled || patch.role === "USER")) {
    throw new ServiceError("forbidden", "You cannot disable or demote your own account.");
  }
  let planId: string | undefined;
  if (patch.plan) {
    const plan = await findPlanByName(patch.plan);
    if (!plan) throw new ServiceError("validation_error", `No plan named "${patch.plan}".`, { param: "plan" });
    planId = plan.id;
  }
  const u = await updateUser(id, { role: patch.role, planId, disabled: patch.disabled });
  // Role, plan and disabled are all part of what authenticates the user's keys.
  await principalChanged({ userId: id });
  await writeAudit({ actorId: actor.id, actorEmail: actor.email, action: "user.update", targetType: "user", targetId: id, details: patch });
  return u;
}
