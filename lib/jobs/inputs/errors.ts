/**
 * The job input failures, as the InputError (lib/models/tensor) the runner maps by code. Their codes are the
 * jobs' own (pdf_encrypted, too_many_pages, audio_invalid…), not yet in lib/models/errors' InputErrorCode list, hence
 * the one widening cast here; adding them to that list removes it.
 */
import type { InputErrorCode } from "@/lib/models/errors";
import { InputError } from "@/lib/models/tensor";
import type { InputFailureCode } from "./types";

export function inputError(code: InputFailureCode, message: string): InputError {
  return new InputError(code as string as InputErrorCode, message);
}

const CODES: ReadonlySet<string> = new Set<InputFailureCode>([
  "unsupported_media_type",
  "pdf_encrypted",
  "pdf_invalid",
  "too_many_pages",
  "image_invalid",
  "audio_invalid",
  "empty_input",
]);

export function isInputFailureCode(code: string): code is InputFailureCode {
  return CODES.has(code);
}
