import crypto from "node:crypto";
import { ApiError } from "@/lib/api/errors";
import { route } from "@/lib/api/route";
import { canAccess } from "@/lib/auth/roles";
import { env } from "@/lib/config/env";
import { getSessionUser } from "@/lib/auth/session";
import { renderMetrics } from "@/lib/metering/prometheus";

function tokenOk(req: Request): boolean {
  const want = env.metricsToken();
  const got = req.headers.get("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!want || !got) return false;
  const a = Buffer.from(want);
  const b = Buffer.from(got);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

// GET /metrics – Prometheus exposition; PARETO_METRICS_TOKEN bearer token or an admin session
export const GET = route({ auth: "public" }, async ({ req }) => {
  if (!tokenOk(req)) {
    const user = await getSessionUser();
    if (!user) throw new ApiError("unauthorized", "Send the metrics token as a bearer token, or sign in as an administrator.");
    if (!canAccess(user.role, "admin")) throw new ApiError("forbidden", "Metrics are for administrators.");
  }
  return new Response(renderMetrics(), { headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" } });
});
