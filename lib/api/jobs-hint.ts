import "server-only";
import { sniffFormat, taskOfFormat } from "@/lib/jobs/formats";
import { ApiError, isApiError } from "./errors";

/**
 * The synchronous OCR and VAD endpoints read one image or at most PARETO_MAX_AUDIO_SECONDS of WAV. When they refuse
 * an input for being too long, too large, a document or a format only jobs decode, the message says where such
 * inputs go: POST /api/v1/jobs.
 */
const HINT = "Long recordings, documents (PDF, multi-page TIFF) and compressed audio are read as jobs: POST /api/v1/jobs.";
const LONG = new Set(["audio_too_long", "payload_too_large"]);

/** PDF or TIFF sent to the synchronous OCR endpoint: 422 multi_page_input, naming the jobs API. */
export function refuseDocuments(bytes: Uint8Array, field: string): void {
  const f = sniffFormat(bytes.subarray(0, 64));
  if (f === "pdf" || f === "tiff") {
    throw new ApiError("multi_page_input", `This endpoint reads one image (PNG, JPEG, WebP); a ${f.toUpperCase()} document is read page by page as a job: POST /api/v1/jobs with task=ocr.`, { param: field });
  }
}

/** Adds the pointer to the jobs API to an error that a job would not have had. */
export function withJobsHint(e: unknown, bytes: Uint8Array | null): unknown {
  if (!isApiError(e)) return e;
  const format = bytes ? sniffFormat(bytes.subarray(0, 64)) : null;
  const jobFormat = e.code === "unsupported_format" && format !== null && taskOfFormat(format) === "vad" && format !== "wav";
  if (!LONG.has(e.code) && !jobFormat) return e;
  return new ApiError(e.code, `${e.message.replace(/\.?$/, ".")} ${HINT}`, { param: e.param, headers: e.headers });
}
