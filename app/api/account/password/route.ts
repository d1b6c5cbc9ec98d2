import { route } from "@/lib/api/route";
import { passwordChangeInput } from "@/lib/api/schemas/auth";
import { parseJson } from "@/lib/api/validation";
import { changePassword } from "@/lib/auth/account";
import { requestClientAddress } from "@/lib/config/request-client";

// POST /api/account/password – change the signed-in user's password; ends every session of the user
export const POST = route({ auth: "session" }, async ({ req, user }) => {
  await changePassword(user, await parseJson(req, passwordChangeInput), requestClientAddress(req.headers));
  return { body: { ok: true, signed_out: true } };
});
