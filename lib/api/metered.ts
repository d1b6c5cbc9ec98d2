import "server-only";
import type { Permission } from "@/lib/keys/scopes";
import { admit, type Admission, type Principal } from "@/lib/metering/limits";
import { httpMetrics } from "@/lib/metering/http-metrics";
import { usageWriter, type UsageEvent } from "@/lib/metering/usage";
import { ApiError } from "./errors";
import { checkSameOrigin, expectedError, newRequestId, toErrorResponse } from "./handler";
import { authenticate } from "./principal";
import { isDraining, trackRequest } from "@/lib/shutdown";
import { ensureStarted } from "@/lib/startup";

export interface UsageFields {
  modelId: string | null;
  computeMs: number;
  units: number;
  unitKind: string | null;
}

export interface MeteredContext<P> {
  req: Request;
  params: P;
  requestId: string;
  principal: Principal;
  usage: UsageFields;
  /** Extra response headers (compute and quota figures). */
  headers: Record<string, string>;
}

export interface MeteredOptions {
  route: string;
  permission: Permission;
  /** Accept a signed-in browser session instead of a key (the playground). */
  allowSession?: boolean;
  source?: "api" | "kserve";
  /** Renders errors in another protocol's shape (KServe v2: `{"error": "…"}`). */
  renderError?: (e: unknown, requestId: string) => Response;
}

/**
 * The wrapper for metered routes: authenticate (key or session) → rate limit and concurrency → handler →
 * one usage event per request, whatever its outcome. Rate-limit headers go on every response.
 */
export function metered<P = Record<string, never>>(opts: MeteredOptions, fn: (ctx: MeteredContext<P>) => Promise<unknown>) {
  return async (req: Request, route: { params: Promise<P> }): Promise<Response> => {
    ensureStarted();
    const done = trackRequest();
    const t0 = performance.now();
    const requestId = newRequestId();
    const usage: UsageFields = { modelId: null, computeMs: 0, units: 0, unitKind: null };
    const headers: Record<string, string> = {};
    let principal: Principal | undefined;
    let admission: Admission | undefined;
    let res: Response;
    let errorCode: string | null = null;
    try {
      if (isDraining()) throw new ApiError("shutting_down", "This instance is shutting down; retry the request.", { headers: { "retry-after": "1", connection: "close" } });
      principal = await authenticate(req, opts.permission, opts.allowSession ?? false);
      if (principal.via === "session") checkSameOrigin(req);
      admission = await admit(principal);
      const params = (await route?.params) ?? ({} as P);
      const body = await fn({ req, params, requestId, principal, usage, headers });
      if (body instanceof Response) res = body;
      else {
        const text = JSON.stringify(body);
        res = new Response(text, { headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) } });
      }
    } catch (caught) {
      // Database outages and unstorable text become their ApiErrors here, so the usage event names them too.
      const e = expectedError(caught, requestId);
      errorCode = e instanceof ApiError ? e.code : "internal_error";
      res = opts.renderError ? opts.renderError(e, requestId) : toErrorResponse(e, requestId);
    } finally {
      await admission?.release();
    }
    for (const [k, v] of Object.entries({ ...admission?.headers, ...headers })) if (!res.headers.has(k)) res.headers.set(k, v);
    res.headers.set("x-request-id", requestId);
    const event: UsageEvent = {
      requestId,
      userId: principal?.userId ?? null,
      apiKeyId: principal?.key?.id ?? null,
      modelId: usage.modelId,
      source: principal?.via === "session" ? "playground" : (opts.source ?? "api"),
      route: opts.route,
      method: req.method,
      status: res.status,
      errorCode,
      latencyMs: Math.round((performance.now() - t0) * 100) / 100,
      computeMs: Math.round(usage.computeMs * 100) / 100,
      units: usage.units,
      unitKind: usage.unitKind,
      bytesIn: Number(req.headers.get("content-length") ?? 0) || 0,
      bytesOut: Number(res.headers.get("content-length") ?? 0) || 0,
      createdAt: new Date(),
    };
    usageWriter().record(event);
    httpMetrics().record(event);
    done();
    return res;
  };
}
