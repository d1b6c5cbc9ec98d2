import { handler } from "@/lib/api/handler";
import { readiness } from "@/lib/health";

// GET /api/ready – readiness: database, Redis (when configured), models with FAILED reasons; 503 when not ready
export const GET = handler({ auth: "public" }, async () => {
  const r = await readiness();
  return { status: r.ready ? 200 : 503, body: r.body, headers: { "cache-control": "no-store" } };
});
