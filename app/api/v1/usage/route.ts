import { route } from "@/lib/api/route";
import { usageView } from "@/lib/keys/scopes";
import { presentUsage } from "@/lib/api/presenters/usage";
import { usageQuery } from "@/lib/api/schemas/usage";
import { parseWith } from "@/lib/api/validation";
import { usageReport } from "@/lib/metering/usage-report";

// GET /api/v1/usage – the caller's own usage and quota (filters: from, to, model, key, limit)
export const GET = route({ auth: "key", permission: "usage:read", allowSession: true, metered: { route: "/api/v1/usage" } }, async ({ req, principal }) => {
  const q = parseWith(usageQuery, Object.fromEntries(new URL(req.url).searchParams));
  return { body: presentUsage(await usageReport(principal.userId, { ...q, ...usageView(principal.key) })) };
});
