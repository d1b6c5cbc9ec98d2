import { ApiError } from "@/lib/api/errors";
import { route } from "@/lib/api/route";
import { presentAdminModel } from "@/lib/api/presenters/admin-models";
import { modelActionParams } from "@/lib/api/schemas/admin-models";
import { runModelAction } from "@/lib/admin/models";

// POST /api/v1/admin/models/{id}/{load|unload|reload|enable|disable} – operate a model (audit-logged); admins only
export const POST = route<{ id: string; action: string }>({ auth: "admin" }, async ({ params, user }) => {
  const p = modelActionParams.safeParse(params);
  if (!p.success) throw new ApiError("not_found", "Actions are load, unload, reload, enable and disable.", { param: "action" });
  return { body: presentAdminModel(await runModelAction(user, p.data.id, p.data.action)) };
});
