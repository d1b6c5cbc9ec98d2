import { route } from "@/lib/api/route";
import { parseJson } from "@/lib/api/validation";
import { createKeyInput } from "@/lib/api/schemas/keys";
import { requestClientAddress } from "@/lib/config/request-client";
import { DEFAULT_SCOPES } from "@/lib/keys/scopes";
import { presentKey } from "@/lib/api/presenters/keys";
import { createKey, listKeys } from "@/lib/keys/service";

// GET /api/v1/keys – the signed-in user's keys (never the secrets)
export const GET = route({ auth: "session" }, async ({ user }) => {
  const rows = await listKeys(user.id);
  return { body: { object: "list", data: rows.map(presentKey) } };
});

// POST /api/v1/keys – create a key; the response is the only time the key is shown
export const POST = route({ auth: "session" }, async ({ req, user }) => {
  const i = await parseJson(req, createKeyInput);
  const { key, row } = await createKey(
    { id: user.id, email: user.email, ip: requestClientAddress(req.headers) },
    {
      name: i.name,
      scopes: i.scopes ?? [...DEFAULT_SCOPES],
      expiresAt: i.expires_at ? new Date(i.expires_at) : null,
      requestsPerMinute: i.requests_per_minute ?? null,
      concurrentRequests: i.concurrent_requests ?? null,
      monthlyRequests: i.monthly_requests ?? null,
      monthlyComputeMs: i.monthly_compute_ms ?? null,
    },
  );
  return { status: 201, body: { ...presentKey(row), key }, headers: { "cache-control": "no-store" } };
});
