import "server-only";
import crypto from "node:crypto";
import { NextResponse } from "next/server";
import { canAccess } from "@/lib/auth/roles";
import { getSessionUser, type SessionUser } from "@/lib/auth/session";
import { log } from "@/lib/log";
import { ApiError, errorBody } from "./errors";

export type AuthMode = "public" | "session" | "admin";

export interface HandlerContext<P> {
  req: Request;
  params: P;
  requestId: string;
  user: SessionUser | null;
}

type Result = Response | { status?: number; body: unknown; headers?: Record<string, string> };

export function newRequestId(): string {
  return `req_${crypto.randomBytes(12).toString("base64url")}`;
}

/**
 * Cookie-authenticated mutations must come from our own pages: the browser sends Origin on cross-site POSTs, and
 * it has to name this host. (API-key requests carry no ambient credentials and need no such check.)
 */
export function checkSameOrigin(req: Request): void {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return;
  const origin = req.headers.get("origin") ?? req.headers.get("referer");
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  let ok = false;
  try {
    ok = Boolean(origin && host && new URL(origin).host === host);
  } catch {
    ok = false;
  }
  if (!ok) throw new ApiError("csrf_failed", "Cross-site request refused: the Origin header must match this site.");
}

/**
 * The one wrapper every route handler runs in: request id, authentication, CSRF for cookie sessions, and the
 * single error shape. Handlers return a Response or `{ body, status?, headers? }` and throw ApiError for
 * expected failures.
 */
export function handler<P = Record<string, never>>(
  opts: { auth: AuthMode; csrf?: boolean },
  fn: (ctx: HandlerContext<P>) => Promise<Result>,
) {
  return async (req: Request, route: { params: Promise<P> }): Promise<Response> => {
    const requestId = req.headers.get("x-request-id")?.match(/^[\w-]{8,64}$/)?.[0] ?? newRequestId();
    let res: Response;
    try {
      const params = (await route?.params) ?? ({} as P);
      let user: SessionUser | null = null;
      if (opts.auth !== "public" || opts.csrf) {
        if (opts.csrf !== false) checkSameOrigin(req);
        user = await getSessionUser();
      }
      if (opts.auth !== "public" && !user) throw new ApiError("unauthorized", "Sign in to use this endpoint.");
      if (opts.auth === "admin" && !canAccess(user?.role, "admin")) throw new ApiError("forbidden", "This endpoint is for administrators.");
      const out = await fn({ req, params, requestId, user });
      res = out instanceof Response ? out : NextResponse.json(out.body, { status: out.status ?? 200, headers: out.headers });
    } catch (e) {
      res = toErrorResponse(e, requestId);
    }
    res.headers.set("x-request-id", requestId);
    return res;
  };
}

/** Failures of the database connection itself (not of a query): the request may succeed when retried. */
export function isDatabaseUnavailable(e: unknown): boolean {
  const err = e as { code?: string; name?: string; message?: string; cause?: unknown } | null;
  if (!err || typeof err !== "object") return false;
  if (["P1001", "P1002", "P1008", "P1017", "P2024"].includes(err.code ?? "")) return true;
  if (err.name === "PrismaClientInitializationError") return true;
  const text = `${err.message ?? ""} ${String((err.cause as { message?: string } | undefined)?.message ?? "")}`;
  return /ECONNREFUSED|ECONNRESET|Connection terminated|connection timeout|Can't reach database|database is locked|SQLITE_BUSY|closed the connection|timeout exceeded when trying to connect|not queryable|Unable to start a transaction in the given time|Transaction already closed/i.test(text);
}

/** PostgreSQL cannot store NUL (U+0000) in text (SQLite can): a value carrying one is the client's error, not ours. */
export function isUnstorableText(e: unknown): boolean {
  const err = e as { message?: string; cause?: unknown } | null;
  if (!err || typeof err !== "object") return false;
  const text = `${err.message ?? ""} ${String((err.cause as { message?: string } | undefined)?.message ?? "")}`;
  return /invalid byte sequence for encoding "UTF8": 0x00|unsupported Unicode escape sequence/i.test(text);
}

/** Redis (REDIS_URL) not answering: rate and concurrency limits cannot be checked, so the request is refused. */
export function isCacheUnavailable(e: unknown): boolean {
  const err = e as { name?: string; message?: string } | null;
  if (!err || typeof err !== "object") return false;
  return err.name === "MaxRetriesPerRequestError" || /max retries per request limit|Connection is closed|enableOfflineQueue/i.test(err.message ?? "");
}

/** Failures below the API that still have a meaning for the client (retry later; fix the input), as ApiErrors. */
export function expectedError(e: unknown, requestId: string): unknown {
  const store = isDatabaseUnavailable(e) ? "database" : isCacheUnavailable(e) ? "redis" : null;
  if (store) {
    // Prisma's messages start with a blank line and a code frame; log the phrase naming the fault.
    const text = e instanceof Error ? e.message : String(e);
    const error = /(Can't reach database server[^\n]*|Transaction API error[^\n]*|Connection terminated[^\n]*|ECONN[A-Z]+[^\n]*|timeout exceeded[^\n]*|[^\n]*not queryable|database is locked|SQLITE_BUSY[^\n]*|Reached the max retries[^\n]*|Connection is closed)/.exec(text)?.[1] ??
      text.split("\n").map((l) => l.trim()).filter(Boolean)[0] ?? "";
    log("warn", `${store} unavailable`, { requestId, code: (e as { code?: string }).code, error });
    const what = store === "database" ? "The database" : "The rate-limit store";
    return new ApiError("unavailable", `${what} is unavailable right now; retry shortly.`, { headers: { "retry-after": "2" } });
  }
  if (isUnstorableText(e)) return new ApiError("validation_error", "Text fields and filters must not contain NUL (\\u0000) characters.");
  return e;
}

export function toErrorResponse(e: unknown, requestId: string): Response {
  e = expectedError(e, requestId);
  if (e instanceof ApiError) {
    return NextResponse.json(errorBody(e.code, e.message, e.param), { status: e.status, headers: e.headers });
  }
  log("error", "unhandled error", { requestId, error: e instanceof Error ? e.stack : String(e) });
  return NextResponse.json(errorBody("internal_error", `Internal error. Quote request id ${requestId} when reporting it.`), { status: 500 });
}
