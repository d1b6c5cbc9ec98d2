import { route } from "@/lib/api/route";
import { presentPromotion } from "@/lib/api/presenters/promotion";
import { promoteModel } from "@/lib/selection/promote";

// POST /api/v1/admin/models/{id}/promote – make a variant its task's default through the regression gate (409 when refused)
export const POST = route<{ id: string }>({ auth: "admin" }, async ({ params, user }) => ({ body: presentPromotion(await promoteModel(user, params.id)) }));
