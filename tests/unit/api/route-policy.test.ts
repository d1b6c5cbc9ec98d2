import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api/errors";
import { isCacheUnavailable, renderJsonError, toErrorReply } from "@/lib/api/error-response";
import { newRequestId } from "@/lib/api/request-id";
import { checkSameOrigin } from "@/lib/api/same-origin";
import { InputError } from "@/lib/runtime/errors";

const post = (headers: Record<string, string>, method = "POST") => new Request("http://portal.example/api/v1/keys", { method, headers });

describe("request ids", () => {
  it("are minted for every request, never reused", () => {
    const a = newRequestId();
    expect(a).toMatch(/^req_[\w-]{16}$/);
    expect(newRequestId()).not.toBe(a);
  });
});

describe("same-origin check for cookie sessions", () => {
  it("passes reads, and writes whose Origin names this host", () => {
    expect(() => checkSameOrigin(post({ host: "portal.example" }, "GET"))).not.toThrow();
    expect(() => checkSameOrigin(post({ host: "portal.example", origin: "http://portal.example" }))).not.toThrow();
    expect(() => checkSameOrigin(post({ host: "internal:3000", "x-forwarded-host": "portal.example", origin: "https://portal.example" }))).not.toThrow();
  });

  it.each([
    ["another site", { host: "portal.example", origin: "https://evil.example" }],
    ["no Origin or Referer", { host: "portal.example" }],
    ["an Origin that is not a URL", { host: "portal.example", origin: "null" }],
  ])("refuses a write from %s with csrf_failed", (_, headers) => {
    expect(() => checkSameOrigin(post(headers))).toThrow(expect.objectContaining({ code: "csrf_failed" }));
  });
});

describe("error replies", () => {
  it("keep an ApiError's status, code, param and headers", () => {
    expect(toErrorReply(new ApiError("rate_limited", "slow down", { headers: { "retry-after": "4" } }), "req_1")).toEqual({
      status: 429, code: "rate_limited", message: "slow down", param: undefined, headers: { "retry-after": "4" },
    });
  });

  it("map domain errors by code", () => {
    expect(toErrorReply(new InputError("image_too_large", "too big"), "req_1")).toMatchObject({ status: 422, code: "image_too_large" });
  });

  it("turn a lost database connection into 503 unavailable with Retry-After", () => {
    const e = Object.assign(new Error("\nInvalid `prisma.user.findMany()` invocation:\n\nCan't reach database server at `127.0.0.1:5432`"), { code: "P1001" });
    expect(toErrorReply(e, "req_1")).toMatchObject({ status: 503, code: "unavailable", headers: { "retry-after": "2" } });
  });

  it("turn a NUL that PostgreSQL cannot store into 422 validation_error", () => {
    expect(toErrorReply(new Error('invalid byte sequence for encoding "UTF8": 0x00'), "req_1")).toMatchObject({ status: 422, code: "validation_error" });
  });

  it("recognise Redis going away", () => {
    expect(isCacheUnavailable(new Error("Reached the max retries per request limit (which is 1)."))).toBe(true);
    expect(isCacheUnavailable(new Error("something else"))).toBe(false);
  });

  it("answer anything unexpected with a 500 that names the request id and no stack", async () => {
    const reply = toErrorReply(new TypeError("x is undefined"), "req_abc");
    expect(reply).toMatchObject({ status: 500, code: "internal_error" });
    const body = await renderJsonError(reply).json();
    expect(body).toEqual({ error: { type: "server_error", code: "internal_error", message: "Internal error. Quote request id req_abc when reporting it." } });
  });
});
