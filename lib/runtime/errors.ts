/**
 * Typed runtime failures. The API maps each `code` to a status (see lib/api/errors.ts); none of them is a bug in
 * the caller's input except InputError, which comes from the model pipelines.
 */
export { InputError, type InputErrorCode } from "@/lib/models/tensor";

export type RuntimeErrorCode =
  | "unknown_model"
  | "model_disabled"
  | "model_unavailable"
  | "overloaded"
  | "timeout"
  | "cancelled"
  | "worker_crashed"
  | "shutting_down";

export class RuntimeError extends Error {
  readonly code: RuntimeErrorCode;
  /** Seconds a client should wait before retrying (overloaded, crashed, unavailable). */
  readonly retryAfterS?: number;
  constructor(code: RuntimeErrorCode, message: string, retryAfterS?: number) {
    super(message);
    this.name = "RuntimeError";
    this.code = code;
    this.retryAfterS = retryAfterS;
  }
}
