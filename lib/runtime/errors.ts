/**
 * Typed runtime failures. The API maps each `code` to a status (see lib/api/map-error.ts) — by code, never by
 * class identity (see lib/models/errors.ts). None of them is the caller's fault except InputError, which comes from
 * the model pipelines.
 */
import { DomainError, isRuntimeError, type RuntimeErrorCode } from "@/lib/models/errors";

export { InputError } from "@/lib/models/tensor";
export type { InputErrorCode, RuntimeErrorCode } from "@/lib/models/errors";

export class RuntimeError extends DomainError {
  declare readonly code: RuntimeErrorCode;
  /** Compute a request had spent in its worker when it was stopped (client gone, deadline): billed by the edge. */
  readonly computeMs?: number;
  constructor(code: RuntimeErrorCode, message: string, retryAfterS?: number, extra: { computeMs?: number } = {}) {
    super("runtime", code, message, { retryAfterS });
    this.name = "RuntimeError";
    this.computeMs = extra.computeMs;
  }
}

/**
 * The compute a failed run had spent, when it was started and then stopped, else undefined. Read by property, not
 * `instanceof` (the error may come from another Next.js layer's copy of this module).
 */
export function spentComputeMs(e: unknown): number | undefined {
  if (!isRuntimeError(e)) return undefined;
  const ms = (e as { computeMs?: unknown }).computeMs;
  return typeof ms === "number" && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}
