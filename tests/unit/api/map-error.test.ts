import { describe, expect, it, vi } from "vitest";
import { ApiError, ERROR_STATUS, isApiError } from "@/lib/api/errors";
import { toApiError } from "@/lib/api/map-error";
import { DomainError, ServiceError, type DomainErrorCode } from "@/lib/models/errors";
import { InputError, RuntimeError } from "@/lib/runtime/errors";

/** The same modules loaded a second time: their classes differ from the first copy's, as between Next.js layers. */
async function otherCopy() {
  vi.resetModules();
  const models = await import("@/lib/models/errors");
  const runtime = await import("@/lib/runtime/errors");
  const api = await import("@/lib/api/errors");
  return { ...models, ...runtime, ApiError: api.ApiError };
}

const CODES: DomainErrorCode[] = [
  "empty_input", "unsupported_media_type", "corrupt_input", "image_too_large", "audio_too_long", "invalid_samples", "unsupported_encoding", "invalid_option",
  "unknown_model", "model_disabled", "model_unavailable", "overloaded", "timeout", "cancelled", "worker_crashed", "shutting_down",
  "validation_error", "not_found", "conflict", "forbidden", "email_taken", "model_not_found", "wrong_task", "no_model_satisfies", "benchmark_running",
  "promotion_refused", "rate_limited", "quota_exceeded", "unavailable",
];

describe("domain errors → API errors, by code", () => {
  it.each(CODES)("%s maps to a code of the API's table", (code) => {
    const e = toApiError(new DomainError("service", code, "m"));
    expect(isApiError(e)).toBe(true);
    expect(Object.keys(ERROR_STATUS)).toContain((e as ApiError).code);
  });

  it("input errors name the request field, option errors the snake_case option", () => {
    expect(toApiError(new InputError("corrupt_input", "bad"), "image")).toMatchObject({ code: "corrupt_input", param: "image", status: 400 });
    expect(toApiError(new InputError("unsupported_media_type", "no"), "audio")).toMatchObject({ code: "unsupported_format", param: "audio" });
    expect(toApiError(new InputError("invalid_option", "no", "minSpeechMs"), "audio")).toMatchObject({ code: "invalid_option", param: "min_speech_ms", status: 422 });
  });

  it("runtime errors keep their Retry-After; an unknown model names `model`", () => {
    const e = toApiError(new RuntimeError("overloaded", "busy", 3)) as ApiError;
    expect(e).toMatchObject({ code: "overloaded", status: 503 });
    expect(e.headers).toEqual({ "retry-after": "3" });
    expect(toApiError(new RuntimeError("unknown_model", "no"))).toMatchObject({ code: "model_not_found", param: "model", status: 404 });
    expect(toApiError(new RuntimeError("cancelled", "gone"))).toMatchObject({ code: "client_closed_request", status: 499 });
  });

  it("service errors keep their code, param and headers", () => {
    const e = toApiError(new ServiceError("quota_exceeded", "spent", { headers: { "x-quota-limit": "monthly_requests" } })) as ApiError;
    expect(e).toMatchObject({ code: "quota_exceeded", status: 402, headers: { "x-quota-limit": "monthly_requests" } });
  });

  it("errors made by another copy of the modules map the same (the page-first 500s of issue 10)", async () => {
    const copy = await otherCopy();
    const foreignInput = new copy.InputError("empty_input", "empty");
    expect(foreignInput instanceof InputError).toBe(false);
    expect(toApiError(foreignInput, "image")).toMatchObject({ code: "empty_input", param: "image", status: 400 });
    expect(toApiError(new copy.RuntimeError("timeout", "slow"))).toMatchObject({ code: "timeout", status: 504 });
    const foreignApi = new copy.ApiError("wrong_task", "no", { param: "model" });
    expect(foreignApi instanceof ApiError).toBe(false);
    expect(isApiError(foreignApi)).toBe(true);
    expect(toApiError(foreignApi)).toBe(foreignApi);
  });

  it("anything else passes through untouched", () => {
    const plain = new Error("boom");
    expect(toApiError(plain)).toBe(plain);
    expect(isApiError({ code: "not_found", message: "forged" })).toBe(false);
  });
});
