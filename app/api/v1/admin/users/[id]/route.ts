import { route } from "@/lib/api/route";
import { userPatch } from "@/lib/api/schemas/admin";
import { parseJson } from "@/lib/api/validation";
import { editUser } from "@/lib/auth/admin";
import { userOutput } from "@/lib/api/schemas/auth";

// PATCH /api/v1/admin/users/{id} – change a user's role, plan or disabled flag (a disabled user's keys stop at once)
export const PATCH = route<{ id: string }>({ auth: "admin" }, async ({ req, params, user }) => ({
  body: userOutput.parse(await editUser(user, params.id, await parseJson(req, userPatch))),
}));
