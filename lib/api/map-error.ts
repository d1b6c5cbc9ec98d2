import "server-only";
import { isDomainError, type DomainError, type DomainErrorCode } from "@/lib/models/errors";
import { ApiError, isApiError, type ErrorCode } from "./errors";

/**
 * Every domain error code → its API code, in one exhaustive table (a new domain code does not compile until it is
 * mapped here). Matched by `code`, never by class: the error may come from another Next.js layer's copy of lib/.
 * Service codes keep their names; the pipelines' and the runtime's few differ.
 */
const API_CODE: Record<DomainErrorCode, ErrorCode> = {
  // Input pipelines: the caller's file or options.
  empty_input: "empty_input",
  unsupported_media_type: "unsupported_format",
  corrupt_input: "corrupt_input",
  image_too_large: "image_too_large",
  audio_too_long: "audio_too_long",
  invalid_samples: "invalid_samples",
  unsupported_encoding: "unsupported_encoding",
  invalid_option: "invalid_option",
  pdf_encrypted: "pdf_encrypted",
  pdf_invalid: "pdf_invalid",
  too_many_pages: "too_many_pages",
  image_invalid: "image_invalid",
  audio_invalid: "audio_invalid",
  multi_page_input: "multi_page_input",
  invalid_webhook_url: "invalid_webhook_url",
  // Runtime.
  unknown_model: "model_not_found",
  model_disabled: "model_disabled",
  model_unavailable: "model_unavailable",
  overloaded: "overloaded",
  timeout: "timeout",
  cancelled: "client_closed_request",
  worker_crashed: "worker_crashed",
  shutting_down: "shutting_down",
  // Services.
  validation_error: "validation_error",
  not_found: "not_found",
  conflict: "conflict",
  forbidden: "forbidden",
  email_taken: "email_taken",
  signup_closed: "signup_closed",
  invite_required: "invite_required",
  invalid_invite: "invalid_invite",
  invalid_credentials: "invalid_credentials",
  model_not_found: "model_not_found",
  wrong_task: "wrong_task",
  no_model_satisfies: "no_model_satisfies",
  benchmark_running: "benchmark_running",
  promotion_refused: "promotion_refused",
  rate_limited: "rate_limited",
  quota_exceeded: "quota_exceeded",
  unavailable: "unavailable",
  invalid_model: "invalid_model",
  unsupported_operator: "unsupported_operator",
  model_too_large: "model_too_large",
  model_in_use: "model_in_use",
  dataset_invalid: "dataset_invalid",
  dataset_too_large: "dataset_too_large",
  training_busy: "training_busy",
  payload_too_large: "payload_too_large",
  too_many_jobs: "too_many_jobs",
};

/** camelCase pipeline option names → the API's snake_case parameter names. */
function snake(param: string): string {
  return param.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function paramOf(e: DomainError, inputField: string | undefined): string | undefined {
  if (e.kind === "input") return e.code === "invalid_option" ? snake(e.param ?? "options") : (inputField ?? e.param);
  if (e.code === "unknown_model") return e.param ?? "model";
  return e.param;
}

/**
 * A domain error (from any layer, any copy) as the ApiError the edge renders; ApiErrors and unexpected failures
 * pass through unchanged. `inputField` names the request field an input error is about ("image", "audio").
 */
export function toApiError(e: unknown, inputField?: string): unknown {
  if (isApiError(e) || !isDomainError(e)) return e;
  const headers = { ...e.headers, ...(e.retryAfterS ? { "retry-after": String(e.retryAfterS) } : {}) };
  return new ApiError(API_CODE[e.code], e.message, { param: paramOf(e, inputField), headers: Object.keys(headers).length ? headers : undefined });
}
