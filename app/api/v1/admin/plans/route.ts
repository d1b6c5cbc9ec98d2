import { route } from "@/lib/api/route";
import { presentPlan } from "@/lib/api/presenters/plans";
import { allPlans } from "@/lib/auth/admin";

// GET /api/v1/admin/plans – plans and their limits (admins only)
export const GET = route({ auth: "admin" }, async () => ({ body: { object: "list", data: (await allPlans()).map(presentPlan) } }));
