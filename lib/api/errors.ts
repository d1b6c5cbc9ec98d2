/**
 * One error class and one code → status table for every route. The response shape is always
 * `{"error": {"type", "code", "message", "param"?}}`; unexpected failures become a generic 500 whose detail only
 * goes to the log.
 */
export const ERROR_STATUS = {
  bad_request: 400,
  invalid_json: 400,
  invalid_body: 400,
  validation_error: 422,
  invalid_base64: 400,
  empty_input: 400,
  unsupported_format: 400,
  corrupt_input: 400,
  image_too_large: 422,
  audio_too_long: 422,
  invalid_samples: 422,
  unsupported_encoding: 422,
  invalid_option: 422,
  pdf_encrypted: 422,
  pdf_invalid: 422,
  too_many_pages: 422,
  image_invalid: 400,
  audio_invalid: 400,
  multi_page_input: 422,
  invalid_webhook_url: 422,
  wrong_task: 422,
  no_model_satisfies: 422,
  unauthorized: 401,
  missing_api_key: 401,
  invalid_api_key: 401,
  revoked_api_key: 401,
  expired_api_key: 401,
  invalid_credentials: 401,
  forbidden: 403,
  csrf_failed: 403,
  account_disabled: 403,
  signup_closed: 403,
  invite_required: 403,
  invalid_invite: 403,
  not_found: 404,
  model_not_found: 404,
  model_disabled: 403,
  method_not_allowed: 405,
  request_timeout: 408,
  conflict: 409,
  email_taken: 409,
  benchmark_running: 409,
  promotion_refused: 409,
  payload_too_large: 413,
  model_too_large: 413,
  invalid_model: 400,
  unsupported_operator: 422,
  model_in_use: 409,
  dataset_invalid: 422,
  dataset_too_large: 413,
  training_busy: 409,
  too_many_jobs: 429,
  unsupported_media_type: 415,
  rate_limited: 429,
  signin_throttled: 429,
  /** The quota is not used up but held by reservations of requests in flight: retry after Retry-After. */
  quota_held: 429,
  quota_exceeded: 402,
  /** nginx's 499: the client hung up before the answer; work already started is billed (never sent: it is gone). */
  client_closed_request: 499,
  overloaded: 503,
  unavailable: 503,
  model_unavailable: 503,
  worker_crashed: 503,
  shutting_down: 503,
  timeout: 504,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

const TYPE_BY_STATUS: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "quota_error",
  403: "permission_error",
  404: "not_found_error",
  405: "invalid_request_error",
  408: "invalid_request_error",
  409: "invalid_request_error",
  413: "invalid_request_error",
  415: "invalid_request_error",
  422: "invalid_request_error",
  429: "rate_limit_error",
  499: "invalid_request_error",
  500: "server_error",
  503: "overloaded_error",
  504: "server_error",
};

const BRAND = Symbol.for("pareto.api-error");

/**
 * An expected failure at the HTTP edge. Like the domain errors (lib/models/errors.ts) it is recognised by a
 * process-wide brand and its code — `isApiError`, never `instanceof` — since each Next.js layer has its own copy.
 */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly param?: string;
  readonly headers?: Record<string, string>;
  constructor(code: ErrorCode, message: string, opts: { param?: string; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.param = opts.param;
    this.headers = opts.headers;
    Object.defineProperty(this, BRAND, { value: true });
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** True for an ApiError made by any copy of this module, with a code of the table. */
export function isApiError(e: unknown): e is ApiError {
  if (typeof e !== "object" || e === null || (e as Record<symbol, unknown>)[BRAND] !== true) return false;
  const code = (e as { code?: unknown }).code;
  return typeof code === "string" && Object.hasOwn(ERROR_STATUS, code);
}

export interface ErrorBody {
  error: { type: string; code: string; message: string; param?: string };
}

export function errorBody(code: ErrorCode, message: string, param?: string): ErrorBody {
  const status = ERROR_STATUS[code];
  return { error: { type: TYPE_BY_STATUS[status] ?? "invalid_request_error", code, message, ...(param ? { param } : {}) } };
}
