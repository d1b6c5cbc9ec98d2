/** How a job ends badly: its error as the API shows it (`{type, code, message}`). */
export interface JobError {
  type: string;
  code: string;
  message: string;
  i18n?: { key: string; params?: Record<string, unknown> };
}

/** Why a running job stopped before its input ended. */
export type JobStop = "cancelled" | "lost" | "shutdown";

/** An error that ends the job with exactly this error (not mapped from a domain code). */
export function jobFailure(code: string, message: string, o: { type?: string; params?: Record<string, unknown> } = {}): Error & { jobError: JobError } {
  const e = new Error(message) as Error & { jobError: JobError };
  e.jobError = { type: o.type ?? "server_error", code, message, i18n: { key: `jobs.error.${code}`, ...(o.params ? { params: o.params } : {}) } };
  return e;
}
