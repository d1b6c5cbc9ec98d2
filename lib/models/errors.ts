/**
 * Errors every layer below the HTTP edge throws for expected failures. They carry a `code` and are recognised by a
 * process-wide brand (`Symbol.for`), never by `instanceof`: Next.js gives each layer (instrumentation, page render,
 * route handler) its own copy of `lib/`, so an error made by the runtime that instrumentation started is an
 * instance of *another* copy's class when a route handler catches it. `lib/api` maps codes to HTTP statuses.
 */

/** Codes of the input pipelines (bad images, bad audio, bad options): the caller's input is at fault. */
export type InputErrorCode =
  | "empty_input"
  | "unsupported_media_type"
  | "corrupt_input"
  | "image_too_large"
  | "audio_too_long"
  | "invalid_samples"
  | "unsupported_encoding"
  | "invalid_option"
  /** Jobs: a password-protected PDF (its pages cannot be read without the password). */
  | "pdf_encrypted"
  /** Jobs: a file that claims to be a PDF but cannot be parsed (truncated, damaged). */
  | "pdf_invalid"
  /** Jobs: a document longer than PARETO_MAX_PDF_PAGES. */
  | "too_many_pages"
  /** Jobs: an image (or TIFF page) that cannot be decoded. */
  | "image_invalid"
  /** Jobs: a recording that cannot be decoded. */
  | "audio_invalid"
  /** The synchronous OCR API was sent a PDF or multi-page TIFF: it reads one image (jobs read documents). */
  | "multi_page_input"
  /** Jobs: a webhook URL that is malformed, not http(s), or resolves to an address webhooks may not reach. */
  | "invalid_webhook_url";

/** Codes of the inference runtime (queues, workers, deadlines). */
export type RuntimeErrorCode =
  | "unknown_model"
  | "model_disabled"
  | "model_unavailable"
  | "overloaded"
  | "timeout"
  | "cancelled"
  | "worker_crashed"
  | "shutting_down";

/** Codes of the services (keys, auth, metering, selection, admin). */
export type ServiceErrorCode =
  | "validation_error"
  | "not_found"
  | "conflict"
  | "forbidden"
  | "email_taken"
  | "signup_closed"
  | "invite_required"
  | "invalid_invite"
  | "invalid_credentials"
  | "model_not_found"
  | "model_disabled"
  | "model_unavailable"
  | "wrong_task"
  | "no_model_satisfies"
  | "benchmark_running"
  | "promotion_refused"
  | "rate_limited"
  | "quota_exceeded"
  | "unavailable"
  /** Registry uploads: not an ONNX file (or a corrupt one, or a bundle whose parts disagree). */
  | "invalid_model"
  /** Registry uploads: an operator this ONNX Runtime cannot run (or a custom-op domain, never loaded). */
  | "unsupported_operator"
  /** Registry uploads: a file over PARETO_MAX_MODEL_MB. */
  | "model_too_large"
  /** Registry changes refused while a model is a task default or built in. */
  | "model_in_use"
  /** Training: a dataset that cannot be read or trained on (no header, one label, too few rows for a label…). */
  | "dataset_invalid"
  /** Training: a dataset over PARETO_MAX_DATASET_MB. */
  | "dataset_too_large"
  /** Training: this instance is already training (one run at a time, so serving keeps the cores). */
  | "training_busy"
  /** An upload over the size this server takes for it (jobs: PARETO_MAX_JOB_MB). */
  | "payload_too_large"
  /** Jobs: the account already has as many jobs queued or running as it may. */
  | "too_many_jobs";

export type DomainErrorCode = InputErrorCode | RuntimeErrorCode | ServiceErrorCode;

export type DomainErrorKind = "input" | "runtime" | "service";

const BRAND = Symbol.for("pareto.domain-error");

export interface DomainErrorOptions {
  /** The request field or option at fault (camelCase options are turned into snake_case by the API). */
  param?: string;
  /** Seconds a client should wait before retrying. */
  retryAfterS?: number;
  /** Extra response headers the edge should send (quota figures, …). */
  headers?: Record<string, string>;
}

export class DomainError extends Error {
  readonly kind: DomainErrorKind;
  readonly code: DomainErrorCode;
  readonly param?: string;
  readonly retryAfterS?: number;
  readonly headers?: Record<string, string>;
  constructor(kind: DomainErrorKind, code: DomainErrorCode, message: string, opts: DomainErrorOptions = {}) {
    super(message);
    this.kind = kind;
    this.code = code;
    this.param = opts.param;
    this.retryAfterS = opts.retryAfterS;
    this.headers = opts.headers;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** A failure of a service (lib/keys, lib/auth, lib/metering, lib/selection, lib/admin, …). */
export class ServiceError extends DomainError {
  declare readonly code: ServiceErrorCode;
  constructor(code: ServiceErrorCode, message: string, opts: DomainErrorOptions = {}) {
    super("service", code, message, opts);
    this.name = "ServiceError";
  }
}

/** True for a DomainError made by any copy of this module (see the comment at the top). */
export function isDomainError(e: unknown): e is DomainError {
  return typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[BRAND] === true && typeof (e as { code?: unknown }).code === "string";
}

export function isInputError(e: unknown): e is DomainError & { kind: "input"; code: InputErrorCode } {
  return isDomainError(e) && e.kind === "input";
}

export function isRuntimeError(e: unknown): e is DomainError & { kind: "runtime"; code: RuntimeErrorCode } {
  return isDomainError(e) && e.kind === "runtime";
}
