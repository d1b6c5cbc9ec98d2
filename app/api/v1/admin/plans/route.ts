import { route } from "@/lib/api/route";
import { allPlans } from "@/lib/auth/admin";

// GET /api/v1/admin/plans – plans and their limits (admins only)
export const GET = route({ auth: "admin" }, async () => ({ body: { object: "list", data: await allPlans() } }));
