import "server-only";
import type { Readiness } from "@/lib/boot/readiness";
import { redactPaths, redactReason } from "../redact";

/**
 * Readiness as a caller may see it. Anyone (a load balancer): the status alone — database error text names hosts
 * and ports, and model failure reasons name files. Operators: every check, with absolute paths still cut.
 */
export function presentReadiness(r: Readiness, detailed: boolean) {
  if (r.body.status === "starting") return detailed ? r.body : { status: r.body.status };
  if (!detailed) return { status: r.body.status };
  const { database, redis, models } = r.body.checks;
  const err = (e: string | undefined) => (e ? { error: redactPaths(e) } : {});
  return {
    status: r.body.status,
    checks: {
      database: { ok: database.ok, ...err(database.error) },
      redis: { configured: redis.configured, ok: redis.ok, ...err(redis.error) },
      models: models.map((m) => ({ id: m.id, state: m.state, ...(m.reason ? { reason: redactReason(m.reason) ?? "" } : {}) })),
    },
  };
}
