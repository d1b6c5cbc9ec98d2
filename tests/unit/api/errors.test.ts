import { describe, expect, it } from "vitest";
import { ApiError, ERROR_STATUS, errorBody, type ErrorCode } from "@/lib/api/errors";

describe("error table", () => {
  it.each(Object.entries(ERROR_STATUS) as [ErrorCode, number][])("%s → %d with the one error shape", (code, status) => {
    const e = new ApiError(code, "message");
    expect(e.status).toBe(status);
    const body = errorBody(code, "message", "field");
    expect(Object.keys(body)).toEqual(["error"]);
    expect(body.error).toMatchObject({ code, message: "message", param: "field" });
    expect(body.error.type).toMatch(/_error$/);
  });

  it("maps the documented statuses", () => {
    expect(ERROR_STATUS.quota_exceeded).toBe(402);
    expect(ERROR_STATUS.rate_limited).toBe(429);
    expect(ERROR_STATUS.overloaded).toBe(503);
    expect(ERROR_STATUS.payload_too_large).toBe(413);
    expect(ERROR_STATUS.unsupported_media_type).toBe(415);
    expect(ERROR_STATUS.validation_error).toBe(422);
  });
});
