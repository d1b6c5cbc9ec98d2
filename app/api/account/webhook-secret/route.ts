import { route } from "@/lib/api/route";
import { requestClientAddress } from "@/lib/config/request-client";
import { rotateWebhookSecret, webhookSecretFor } from "@/lib/webhooks";

// GET /api/account/webhook-secret – the signed-in user's webhook signing secret (made on first use)
export const GET = route({ auth: "session" }, async ({ user }) => ({ body: { secret: await webhookSecretFor(user.id) }, headers: { "cache-control": "no-store" } }));

// POST /api/account/webhook-secret – replace it; deliveries from now on (retries too) are signed with the new one
export const POST = route({ auth: "session" }, async ({ req, user }) => {
  const secret = await rotateWebhookSecret(user.id, { id: user.id, email: user.email, ip: requestClientAddress(req.headers), via: "portal" });
  return { body: { secret }, headers: { "cache-control": "no-store" } };
});
