import "server-only";
import { InputError, RuntimeError } from "@/lib/runtime/errors";
import { ApiError, type ErrorCode } from "./errors";

/** Pipeline input errors → API errors (the input field is named in `param` unless an option is). */
const INPUT: Record<InputError["code"], ErrorCode> = {
  empty_input: "empty_input",
  unsupported_media_type: "unsupported_format",
  corrupt_input: "corrupt_input",
  image_too_large: "image_too_large",
  audio_too_long: "audio_too_long",
  invalid_samples: "invalid_samples",
  unsupported_encoding: "unsupported_encoding",
  invalid_option: "invalid_option",
};

const RUNTIME: Record<RuntimeError["code"], ErrorCode> = {
  unknown_model: "model_not_found",
  model_disabled: "model_disabled",
  model_unavailable: "model_unavailable",
  overloaded: "overloaded",
  timeout: "timeout",
  cancelled: "bad_request",
  worker_crashed: "worker_crashed",
  shutting_down: "shutting_down",
};

/** camelCase pipeline option names → the API's snake_case parameter names. */
function snake(param: string): string {
  return param.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export function toApiError(e: unknown, inputField: string): unknown {
  if (e instanceof InputError) {
    const param = e.code === "invalid_option" ? snake(e.param ?? "options") : inputField;
    return new ApiError(INPUT[e.code], e.message, { param });
  }
  if (e instanceof RuntimeError) {
    const headers = e.retryAfterS ? { "retry-after": String(e.retryAfterS) } : undefined;
    return new ApiError(RUNTIME[e.code], e.message, { headers, param: e.code === "unknown_model" ? "model" : undefined });
  }
  return e;
}
