import { route } from "@/lib/api/route";
import { deletedInviteOutput } from "@/lib/api/schemas/invites";
import { revokeInvite } from "@/lib/auth/invites";

// DELETE /api/v1/admin/invites/{id} – revoke an unused invite link; admins only
export const DELETE = route<{ id: string }>({ auth: "admin" }, async ({ params, user }) => {
  await revokeInvite(user, params.id);
  return { body: deletedInviteOutput.parse({ id: params.id }) };
});
