import { route } from "@/lib/api/route";
import { readiness } from "@/lib/boot/readiness";

// GET /api/ready – readiness: boot finished, database, Redis (when configured), models with FAILED reasons; 503 when not ready
export const GET = route({ auth: "public", duringBoot: true }, async () => {
  const r = await readiness();
  return { status: r.ready ? 200 : 503, body: r.body, headers: { "cache-control": "no-store" } };
});
