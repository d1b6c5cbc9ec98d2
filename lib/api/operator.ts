import "server-only";
import crypto from "node:crypto";
import { canAccess } from "@/lib/auth/roles";
import { getSessionUser } from "@/lib/auth/session";
import { env } from "@/lib/config/env";

/** The request carries PARETO_METRICS_TOKEN as a bearer token (compared in constant time). */
export function hasMetricsToken(req: Request): boolean {
  const want = env.metricsToken();
  const got = req.headers.get("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!want || !got) return false;
  const a = Buffer.from(want);
  const b = Buffer.from(got);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/**
 * An operator: the metrics token (Prometheus, a monitoring probe) or an administrator's session. Operators see
 * readiness details; everyone else only the status. The session is read only when a cookie came with the request,
 * so load-balancer probes cost no session decoding.
 */
export async function isOperator(req: Request): Promise<boolean> {
  if (hasMetricsToken(req)) return true;
  if (!req.headers.get("cookie")) return false;
  const user = await getSessionUser();
  return Boolean(user && canAccess(user.role, "admin"));
}
