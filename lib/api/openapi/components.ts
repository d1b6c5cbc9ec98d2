import { z } from "zod";
import { codesFor, errorOutput } from "../schemas/error";
import { kserveError } from "../schemas/kserve";
import { jsonSchema } from "./json-schema";
import type { Header, JsonSchema, Ref, ResponseObject, SecurityScheme } from "./types";

export const ref = (name: string): Ref => ({ $ref: `#/components/schemas/${name}` });

/** `{ "object": "list", "data": [ … ] }`, the envelope every list route returns. */
export function listOf(item: string): JsonSchema {
  return {
    type: "object",
    properties: { object: { type: "string", const: "list" }, data: { type: "array", items: ref(item) } },
    required: ["object", "data"],
    additionalProperties: false,
  };
}

export const HEADERS = {
  "x-request-id": { description: "Identifies the request in logs and usage reports; quote it when reporting a problem.", required: true, schema: { type: "string" } },
  "x-ratelimit-limit-requests": { description: "Requests per minute allowed (the tighter of the plan's and the key's limit).", schema: { type: "string", pattern: "^\\d+$" } },
  "x-ratelimit-remaining-requests": { description: "Requests left in the current minute.", schema: { type: "string", pattern: "^\\d+$" } },
  "x-ratelimit-reset-requests": { description: "Time until the window frees up, e.g. `12s`.", schema: { type: "string", pattern: "^\\d+s$" } },
  "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "string", pattern: "^\\d+$" } },
  "x-compute-ms": { description: "Measured compute time billed to the monthly quota, ms.", schema: { type: "string" } },
  "x-quota-remaining-compute-ms": { description: "Compute left this month, ms.", schema: { type: "string" } },
  "x-quota-remaining-requests": { description: "Requests left this month.", schema: { type: "string" } },
  "x-quota-limit": { description: "The monthly limit that was reached: `monthly_requests` or `monthly_compute_ms`.", schema: { type: "string", enum: ["monthly_requests", "monthly_compute_ms"] } },
  "x-quota-reset": { description: "When the monthly quota resets, ISO 8601.", schema: { type: "string", format: "date-time" } },
} satisfies Record<string, Header>;

export type HeaderName = keyof typeof HEADERS;

/** Component names of headers are the header names themselves, so `$ref`s read naturally. */
export function headerRefs(names: readonly HeaderName[]): Record<string, Ref> {
  return Object.fromEntries(names.map((n) => [n, { $ref: `#/components/headers/${n}` }]));
}

export const RATE_HEADERS = ["x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests"] as const satisfies readonly HeaderName[];
export const COMPUTE_HEADERS = ["x-compute-ms", "x-quota-remaining-compute-ms", "x-quota-remaining-requests"] as const satisfies readonly HeaderName[];

const REASONS: Record<number, string> = {
  400: "Bad request",
  401: "Missing, unknown, revoked or expired credentials",
  402: "Monthly quota exhausted",
  403: "Not allowed: missing scope or role, disabled account or model, or a cross-site request",
  404: "Not found",
  408: "The request body did not arrive in time",
  409: "Conflict",
  413: "Request body too large",
  415: "Unsupported content type",
  422: "Validation failed",
  429: "Rate or concurrency limit reached",
  500: "Internal error",
  503: "Temporarily unavailable (overloaded, model failed to load, shutting down)",
  504: "Timed out",
};

export const ERROR_STATUSES = Object.keys(REASONS).map(Number);

function errorHeaders(status: number): HeaderName[] {
  if (status === 429) return ["x-request-id", "Retry-After", ...RATE_HEADERS];
  if (status === 503) return ["x-request-id", "Retry-After"];
  if (status === 402) return ["x-request-id", "x-quota-limit", "x-quota-reset"];
  return ["x-request-id"];
}

/** One shared response per status and protocol: `Error404` (REST shape), `KServeError404` (`{"error": "…"}`). */
function errorResponses(): Record<string, ResponseObject> {
  const out: Record<string, ResponseObject> = {};
  for (const status of ERROR_STATUSES) {
    const codes = codesFor(status).map((c) => `\`${c}\``).join(", ");
    const headers = headerRefs(errorHeaders(status));
    out[`Error${status}`] = { description: `${REASONS[status]}. Codes: ${codes}.`, headers, content: { "application/json": { schema: ref("Error") } } };
    out[`KServeError${status}`] = { description: `${REASONS[status]}.`, headers, content: { "application/json": { schema: ref("KServeError") } } };
  }
  return out;
}

export const SECURITY_SCHEMES: Record<string, SecurityScheme> = {
  bearerAuth: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "pk_…",
    description:
      "An API key (`Authorization: Bearer pk_…`) created on the API keys page. A key carries scopes: `read` (model metadata), `inference` (run models; implies read), `usage:read` (the account's usage and its export; a model-restricted key sees only its own), and optionally `task:ocr`, `task:vad` or `model:<id>` to restrict which models it may run. Operations list the permission they need.",
  },
  sessionCookie: {
    type: "apiKey",
    in: "cookie",
    name: "next-auth.session-token",
    description:
      "The browser session after signing in (`__Secure-next-auth.session-token` over HTTPS). Requests that change something must also carry an Origin header naming this site. `admin` marks operations for administrators only.",
  },
};

export function baseComponents() {
  return {
    schemas: { Error: jsonSchema(errorOutput, "output"), KServeError: jsonSchema(kserveError, "output") } as Record<string, JsonSchema>,
    responses: errorResponses(),
    headers: HEADERS as Record<string, Header>,
    securitySchemes: SECURITY_SCHEMES,
  };
}

/** A JSON schema for a component, from the zod schema the handler uses. */
export const outputOf = (s: z.ZodType) => jsonSchema(s, "output");
export const inputOf = (s: z.ZodType) => jsonSchema(s, "input");
