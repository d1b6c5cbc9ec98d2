import { route } from "@/lib/api/route";
import { usageView } from "@/lib/keys/scopes";
import { usageQuery } from "@/lib/api/schemas/usage";
import { parseWith } from "@/lib/api/validation";
import { csvFilename, usageCsv } from "@/lib/metering/usage-csv";

// GET /api/v1/usage/export.csv – the caller's own requests in the filtered range as CSV, streamed (filters: from, to, model, key)
export const GET = route({ auth: "key", permission: "usage:read", allowSession: true, metered: { route: "/api/v1/usage/export.csv" } }, async ({ req, principal }) => {
  const q = parseWith(usageQuery, Object.fromEntries(new URL(req.url).searchParams));
  return new Response(await usageCsv(principal.userId, { ...q, ...usageView(principal.key) }), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${csvFilename(q.from, q.to)}"`,
      "cache-control": "no-store",
    },
  });
});
