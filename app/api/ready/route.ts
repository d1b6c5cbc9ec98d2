import { isOperator } from "@/lib/api/operator";
import { presentReadiness } from "@/lib/api/presenters/readiness";
import { route } from "@/lib/api/route";
import { readiness } from "@/lib/boot/readiness";

// GET /api/ready – readiness: boot finished, database, Redis (when configured), some model servable; 503 when not
// ready. The status alone for anyone; every check (errors, FAILED reasons) for the metrics token or an admin session.
export const GET = route({ auth: "public", duringBoot: true }, async ({ req }) => {
  const [r, detailed] = await Promise.all([readiness(), isOperator(req)]);
  return { status: r.ready ? 200 : 503, body: presentReadiness(r, detailed), headers: { "cache-control": "no-store" } };
});
