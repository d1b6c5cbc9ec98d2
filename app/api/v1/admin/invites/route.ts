import { presentCreatedInvite, presentInvite } from "@/lib/api/presenters/invites";
import { route } from "@/lib/api/route";
import { inviteInput } from "@/lib/api/schemas/invites";
import { parseJson } from "@/lib/api/validation";
import { createInvite, openInvites } from "@/lib/auth/invites";

// GET /api/v1/admin/invites – invite links not used yet (never their tokens); admins only
export const GET = route({ auth: "admin" }, async () => ({
  body: { object: "list", data: (await openInvites()).map(presentInvite) },
}));

// POST /api/v1/admin/invites – a new invite link for PARETO_SIGNUP=invite; the response is the only time it is shown
export const POST = route({ auth: "admin" }, async ({ req, user }) => ({
  status: 201,
  body: presentCreatedInvite(await createInvite(user, await parseJson(req, inviteInput))),
}));
