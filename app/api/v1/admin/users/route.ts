import { route } from "@/lib/api/route";
import { adminUserQuery } from "@/lib/api/schemas/admin";
import { parseWith } from "@/lib/api/validation";
import { userOutput } from "@/lib/api/schemas/auth";
import { listUsers } from "@/lib/db/users";

// GET /api/v1/admin/users – list and search users (admins only)
export const GET = route({ auth: "admin" }, async ({ req }) => {
  const { search } = parseWith(adminUserQuery, Object.fromEntries(new URL(req.url).searchParams));
  const users = await listUsers({ search });
  return { body: { object: "list", data: users.map((u) => userOutput.parse(u)) } };
});
