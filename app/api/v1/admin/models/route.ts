import { route } from "@/lib/api/route";
import { presentAdminModel } from "@/lib/api/presenters/admin-models";
import { adminModels } from "@/lib/admin/models";

// GET /api/v1/admin/models – every model with enabled flag, load state, queue depth, recent p95 and memory; admins only
export const GET = route({ auth: "admin" }, async () => ({ body: { object: "list", data: (await adminModels()).map(presentAdminModel) } }));
