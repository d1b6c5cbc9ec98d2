import "server-only";
import type { Principal } from "@/lib/metering/limits";
import { httpMetrics } from "@/lib/metering/http-metrics";
import { usageWriter, type UsageEvent } from "@/lib/metering/usage";

/** What a metered handler fills in as it runs: the model it ran and what it cost. */
export interface UsageFields {
  modelId: string | null;
  modelVersion: string | null;
  computeMs: number;
  units: number;
  unitKind: string | null;
}

export function emptyUsage(): UsageFields {
  return { modelId: null, modelVersion: null, computeMs: 0, units: 0, unitKind: null };
}

export interface Metering {
  /** The route's path template, as usage reports and metrics name it. */
  route: string;
  source?: "api" | "kserve";
}

/**
 * One usage event per metered request, whatever its outcome (refused, failed or served), and its HTTP metrics.
 * A request refused for its credentials (`unauthenticated`: no key, an unknown, revoked or expired one) belongs to
 * no account: it is only counted in the metrics, by route and reason, so a flood of them cannot grow the database.
 */
export function recordUsage(m: Metering, x: { requestId: string; req: Request; res: Response; principal?: Principal; usage: UsageFields; errorCode: string | null; startedAt: number; unauthenticated: boolean }): void {
  const round = (v: number) => Math.round(v * 100) / 100;
  const event: UsageEvent = {
    requestId: x.requestId,
    userId: x.principal?.userId ?? null,
    apiKeyId: x.principal?.key?.id ?? null,
    modelId: x.usage.modelId,
    modelVersion: x.usage.modelVersion,
    source: x.principal?.via === "session" ? "playground" : (m.source ?? "api"),
    route: m.route,
    method: x.req.method,
    status: x.res.status,
    errorCode: x.errorCode,
    latencyMs: round(performance.now() - x.startedAt),
    computeMs: round(x.usage.computeMs),
    units: x.usage.units,
    unitKind: x.usage.unitKind,
    bytesIn: Number(x.req.headers.get("content-length") ?? 0) || 0,
    bytesOut: Number(x.res.headers.get("content-length") ?? 0) || 0,
    createdAt: new Date(),
  };
  httpMetrics().record(event);
  if (x.unauthenticated) httpMetrics().recordUnauthenticated(m.route, x.errorCode ?? "unknown");
  else usageWriter().record(event);
}
