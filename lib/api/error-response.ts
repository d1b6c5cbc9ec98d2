import "server-only";
import { databaseFault, isDatabaseUnavailable, isUnstorableText } from "@/lib/db/failures";
import { log } from "@/lib/log";
import { ApiError, ERROR_STATUS, errorBody, isApiError, type ErrorCode } from "./errors";
import { toApiError } from "./map-error";
import { redactPaths, redactRoots } from "./redact";

/** A failure as the edge answers it: status, code, message and headers, before a protocol gives it its shape. */
export interface ErrorReply {
  status: number;
  code: ErrorCode;
  message: string;
  param?: string;
  headers?: Record<string, string>;
}

/** Renders an ErrorReply in a protocol's shape (ours by default; KServe's `{"error": "…"}` under /v2). */
export type ErrorRenderer = (r: ErrorReply) => Response;

/** Redis (REDIS_URL) not answering: rate and concurrency limits cannot be checked, so the request is refused. */
export function isCacheUnavailable(e: unknown): boolean {
  const err = e as { name?: string; message?: string } | null;
  if (!err || typeof err !== "object") return false;
  return err.name === "MaxRetriesPerRequestError" || /max retries per request limit|Connection is closed|enableOfflineQueue/i.test(err.message ?? "");
}

/** Failures below the API that still mean something to the client (retry later; fix the input), as ApiErrors. */
function expected(e: unknown, requestId: string): unknown {
  const store = isDatabaseUnavailable(e) ? "database" : isCacheUnavailable(e) ? "redis" : null;
  if (store) {
    log("warn", `${store} unavailable`, { requestId, code: (e as { code?: string }).code, error: databaseFault(e) });
    const what = store === "database" ? "The database" : "The rate-limit store";
    return new ApiError("unavailable", `${what} is unavailable right now; retry shortly.`, { headers: { "retry-after": "2" } });
  }
  if (isUnstorableText(e)) return new ApiError("validation_error", "Text fields and filters must not contain NUL (\\u0000) characters.");
  return toApiError(e);
}

/**
 * Anything a handler threw → the reply. Expected failures keep their code; anything else is logged with its stack
 * and answered with a generic 500 that names only the request id.
 */
export function toErrorReply(caught: unknown, requestId: string): ErrorReply {
  const e = expected(caught, requestId);
  if (isApiError(e)) {
    // Runtime failures quote file paths (a missing weight file, ONNX Runtime's own words): never to the client.
    // Client errors may name API paths (`/api/v1/…`), so only the host's own folders are cut from them.
    const status = ERROR_STATUS[e.code];
    const message = status >= 500 ? redactPaths(e.message) : redactRoots(e.message);
    return { status, code: e.code, message, param: e.param, headers: e.headers };
  }
  log("error", "unhandled error", { requestId, error: e instanceof Error ? e.stack : String(e) });
  return { status: 500, code: "internal_error", message: `Internal error. Quote request id ${requestId} when reporting it.` };
}

/** Our error shape, `{"error": {"type", "code", "message", "param"?}}`. */
export function renderJsonError(r: ErrorReply): Response {
  return Response.json(errorBody(r.code, r.message, r.param), { status: r.status, headers: r.headers });
}
