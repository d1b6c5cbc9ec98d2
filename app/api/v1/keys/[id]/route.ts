import { ApiError } from "@/lib/api/errors";
import { route } from "@/lib/api/route";
import { requestClientAddress } from "@/lib/config/request-client";
import { presentKey } from "@/lib/api/presenters/keys";
import { getKey, revokeKey } from "@/lib/keys/service";

type Params = { id: string };
const notFound = () => new ApiError("not_found", "No such key.", { param: "id" });

// GET /api/v1/keys/{id} – one of the signed-in user's keys (another user's id is simply not found)
export const GET = route<Params>({ auth: "session" }, async ({ params, user }) => {
  const row = await getKey(user.id, params.id);
  if (!row) throw notFound();
  return { body: presentKey(row) };
});

// DELETE /api/v1/keys/{id} – revoke; takes effect on the next request
export const DELETE = route<Params>({ auth: "session" }, async ({ req, params, user }) => {
  const row = await revokeKey({ id: user.id, email: user.email, ip: requestClientAddress(req.headers) }, params.id);
  if (!row) throw notFound();
  return { body: presentKey(row) };
});
