import { ApiError } from "@/lib/api/errors";
import { route } from "@/lib/api/route";
import { requestClientAddress } from "@/lib/config/request-client";
import { presentKey } from "@/lib/api/presenters/keys";
import { rotateKey } from "@/lib/keys/service";

// POST /api/v1/keys/{id}/rotate – issue a replacement key and revoke this one
export const POST = route<{ id: string }>({ auth: "session" }, async ({ req, params, user }) => {
  const r = await rotateKey({ id: user.id, email: user.email, ip: requestClientAddress(req.headers) }, params.id);
  if (!r) throw new ApiError("not_found", "No such active key.", { param: "id" });
  return { status: 201, body: { ...presentKey(r.row), key: r.key }, headers: { "cache-control": "no-store" } };
});
