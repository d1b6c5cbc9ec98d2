import "server-only";
import type { SessionUser } from "@/lib/auth/session";
import { isDraining, trackRequest } from "@/lib/boot/shutdown";
import { isServing } from "@/lib/boot/state";
import { requestClientAddress } from "@/lib/config/request-client";
import type { Permission } from "@/lib/keys/scopes";
import { log } from "@/lib/log";
import { admit, admitUnauthenticated, type Admission, type Principal } from "@/lib/metering/limits";
import { ApiError, isApiError } from "./errors";
import { renderJsonError, toErrorReply, type ErrorRenderer } from "./error-response";
import { identify, type Caller } from "./identify";
import { newRequestId } from "./request-id";
import { emptyUsage, recordUsage, type Metering, type UsageFields } from "./usage-event";

type NoParams = Record<string, never>;

interface BaseContext<P> {
  req: Request;
  params: P;
  requestId: string;
  /** Extra response headers (compute and quota figures, the model `auto` chose). */
  headers: Record<string, string>;
}
export interface PublicContext<P = NoParams> extends BaseContext<P> {
  /** Loaded only for `csrf: true` routes. */
  user: SessionUser | null;
}
export interface SessionContext<P = NoParams> extends BaseContext<P> {
  user: SessionUser;
}
export interface MeteredContext<P = NoParams> extends BaseContext<P> {
  principal: Principal;
  /** What the usage event records: the handler fills in the model and its cost. */
  usage: UsageFields;
}

/** A handler's answer: a Response as is, or a JSON body with its status and headers. */
export type Reply = Response | { status?: number; body: unknown; headers?: Record<string, string> };
type Handler<C> = (ctx: C) => Promise<Reply> | Reply;
export type RouteHandler<P> = (req: Request, segment: { params: Promise<P> }) => Promise<Response>;

interface Common {
  /** Renders errors in another protocol's shape (KServe v2: `{"error": "…"}`). */
  renderError?: ErrorRenderer;
  /** When false the route does not exist: 404 before anything else (test hooks). */
  onlyIf?: () => boolean;
  /** Answers while the process is still starting (liveness, readiness); every other route is 503 until it serves. */
  duringBoot?: boolean;
}
export type PublicOptions = Common & { auth: "public"; csrf?: boolean };
export type SessionOptions = Common & { auth: "session" | "admin"; csrf?: boolean };
export type KeyOptions = Common & { auth: "key"; permission: Permission; allowSession?: boolean; metered?: Metering };

/** A key route's authentication failures: the request belongs to no account. */
const AUTH_FAILURES = new Set(["missing_api_key", "invalid_api_key", "revoked_api_key", "expired_api_key", "account_disabled", "forbidden"]);

/**
 * Authentication of a key route. A request refused for its credentials belongs to no account (`onRefused`): it
 * counts against its client address, and past that limit is a 429. A failure to check the key at all (the
 * database away) is not a refusal of its credentials.
 */
async function identifyKey(req: Request, o: KeyOptions, onRefused: () => void): Promise<Caller> {
  try {
    return await identify(req, o);
  } catch (e) {
    if (isApiError(e) && AUTH_FAILURES.has(e.code)) {
      onRefused();
      // Requests whose socket peer is unknown (no peer stamp in this process) share one bucket.
      await admitUnauthenticated(requestClientAddress(req.headers) ?? "unknown");
    }
    throw e;
  }
}

function toResponse(out: Reply): Response {
  if (out instanceof Response) return out;
  const text = JSON.stringify(out.body);
  const headers = { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)), ...out.headers };
  return new Response(text, { status: out.status ?? 200, headers });
}

/**
 * The one wrapper every route handler runs in, applying the same policy everywhere, in this order: a fresh request
 * id → 503 while draining → authentication (and the same-origin check for cookie sessions) → rate and concurrency
 * limits (metered) → handler → one error shape → rate-limit and handler headers → a usage event (metered).
 */
export function route<P = NoParams>(o: PublicOptions, fn: Handler<PublicContext<P>>): RouteHandler<P>;
export function route<P = NoParams>(o: SessionOptions, fn: Handler<SessionContext<P>>): RouteHandler<P>;
export function route<P = NoParams>(o: KeyOptions, fn: Handler<MeteredContext<P>>): RouteHandler<P>;
export function route<P>(o: PublicOptions | SessionOptions | KeyOptions, fn: Handler<never>): RouteHandler<P> {
  const metered = o.auth === "key" ? o.metered : undefined;
  return async (req, segment) => {
    const startedAt = performance.now();
    const requestId = newRequestId();
    const done = trackRequest();
    const headers: Record<string, string> = {};
    const usage = emptyUsage();
    let caller: Caller | undefined;
    let unauthenticated = false;
    let admission: Admission | undefined;
    let errorCode: string | null = null;
    let res: Response;
    try {
      if (o.onlyIf && !o.onlyIf()) throw new ApiError("not_found", "No such route.");
      if (!o.duringBoot && !isServing()) throw new ApiError("unavailable", "The server is starting; retry shortly.", { headers: { "retry-after": "2" } });
      if (isDraining()) throw new ApiError("shutting_down", "This instance is shutting down; retry the request.", { headers: { "retry-after": "1", connection: "close" } });
      caller = o.auth === "key" ? await identifyKey(req, o, () => (unauthenticated = true)) : await identify(req, o);
      if (metered && caller.principal) admission = await admit(caller.principal);
      const params = ((await segment?.params) ?? {}) as P;
      const ctx = { req, params, requestId, headers, usage, user: caller.user, principal: caller.principal };
      res = toResponse(await fn(ctx as never));
    } catch (caught) {
      const reply = toErrorReply(caught, requestId);
      errorCode = reply.code;
      res = (o.renderError ?? renderJsonError)(reply);
    } finally {
      // A release that fails (Redis gone) must not leave the request counted in flight, or draining waits for it.
      await admission?.release().catch((e: unknown) => log("warn", "concurrency slot not released", { requestId, error: String(e) }));
      done();
    }
    for (const [k, v] of Object.entries({ ...admission?.headers, ...headers })) if (!res.headers.has(k)) res.headers.set(k, v);
    res.headers.set("x-request-id", requestId);
    if (metered) recordUsage(metered, { requestId, req, res, principal: caller?.principal ?? undefined, usage, errorCode, startedAt, unauthenticated });
    return res;
  };
}
