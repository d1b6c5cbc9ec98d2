import { ApiError } from "@/lib/api/errors";
import { hasMetricsToken } from "@/lib/api/operator";
import { route } from "@/lib/api/route";
import { canAccess } from "@/lib/auth/roles";
import { getSessionUser } from "@/lib/auth/session";
import { renderMetrics } from "@/lib/metering/prometheus";

// GET /metrics – Prometheus exposition; PARETO_METRICS_TOKEN bearer token or an admin session
export const GET = route({ auth: "public" }, async ({ req }) => {
  if (!hasMetricsToken(req)) {
    const user = await getSessionUser();
    if (!user) throw new ApiError("unauthorized", "Send the metrics token as a bearer token, or sign in as an administrator.");
    if (!canAccess(user.role, "admin")) throw new ApiError("forbidden", "Metrics are for administrators.");
  }
  return new Response(renderMetrics(), { headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" } });
});
