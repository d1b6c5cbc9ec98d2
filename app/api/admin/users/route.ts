import { z } from "zod";
import { handler } from "@/lib/api/handler";
import { parseWith } from "@/lib/api/validation";
import { userOutput } from "@/lib/auth/schemas";
import { listUsers } from "@/lib/db/users";

const query = z.strictObject({ search: z.string().max(200).optional() });

// GET /api/admin/users – list users (admins only)
export const GET = handler({ auth: "admin" }, async ({ req }) => {
  const { search } = parseWith(query, Object.fromEntries(new URL(req.url).searchParams));
  const users = await listUsers({ search });
  return { body: { object: "list", data: users.map((u) => userOutput.parse(u)) } };
});
