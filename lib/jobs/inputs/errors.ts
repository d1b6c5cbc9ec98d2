/** The job input failures, as the InputError (lib/models/tensor) the runner maps by code. */
import { InputError } from "@/lib/models/tensor";
import type { InputFailureCode } from "./types";

export function inputError(code: InputFailureCode, message: string): InputError {
  return new InputError(code, message);
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
