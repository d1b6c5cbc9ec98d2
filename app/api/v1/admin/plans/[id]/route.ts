import { route } from "@/lib/api/route";
import { presentPlan } from "@/lib/api/presenters/plans";
import { planPatch } from "@/lib/api/schemas/admin";
import { parseJson } from "@/lib/api/validation";
import { editPlan } from "@/lib/auth/admin";

// PATCH /api/v1/admin/plans/{id} – change a plan's limits; applies to the next request
export const PATCH = route<{ id: string }>({ auth: "admin" }, async ({ req, params, user }) => ({
  body: presentPlan(await editPlan(user, params.id, await parseJson(req, planPatch))),
}));
