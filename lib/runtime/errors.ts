/**
 * Typed runtime failures. The API maps each `code` to a status (see lib/api/map-error.ts) — by code, never by
 * class identity (see lib/models/errors.ts). None of them is the caller's fault except InputError, which comes from
 * the model pipelines.
 */
import { DomainError, type RuntimeErrorCode } from "@/lib/models/errors";

export { InputError } from "@/lib/models/tensor";
export type { InputErrorCode, RuntimeErrorCode } from "@/lib/models/errors";

export class RuntimeError extends DomainError {
  declare readonly code: RuntimeErrorCode;
  constructor(code: RuntimeErrorCode, message: string, retryAfterS?: number) {
    super("runtime", code, message, { retryAfterS });
    this.name = "RuntimeError";
  }
}
