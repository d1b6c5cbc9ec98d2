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
export function jobFailure(code: string, message: string, o: { type?: string } = {}): Error & { jobError: JobError } {
  const e = new Error(message) as Error & { jobError: JobError };
  e.jobError = { type: o.type ?? "server_error", code, message, i18n: errorI18n(code) };
  return e;
}

/**
 * Codes a job can end with that the portal's catalogs name (jobs.error.<code>, English and 中文); any other code is
 * shown as jobs.error.other with the code. The English `message` stays the specific one (which page, which limit).
 */
export const JOB_ERROR_CODES = [
  "pdf_encrypted",
  "pdf_invalid",
  "too_many_pages",
  "image_invalid",
  "audio_invalid",
  "unsupported_media_type",
  "empty_input",
  "corrupt_input",
  "unsupported_encoding",
  "image_too_large",
  "invalid_option",
  "quota_exceeded",
  "model_unavailable",
  "timeout",
  "worker_crashed",
  "internal_error",
] as const;

export function errorI18n(code: string): { key: string; params?: Record<string, unknown> } {
  return (JOB_ERROR_CODES as readonly string[]).includes(code) ? { key: `jobs.error.${code}` } : { key: "jobs.error.other", params: { code } };
}
