import { z } from "zod";
import { signUpInput, userOutput } from "@/lib/api/schemas/auth";
import { createKeyInput, keyOutput } from "../schemas/keys";
import { classifyInput, classifyResponse, ocrOptions, ocrResponse, RAW_MEDIA_TYPES, vadOptions, vadResponse } from "../schemas/inference";
import { modelDetailOutput, modelOutput } from "../schemas/models";
import { usageOutput, usageQuery } from "../schemas/usage";
import { inputOf, listOf, outputOf, ref } from "./components";
import { jsonBody, operation, pathParam, queryParams } from "./operation";
import type { JsonSchema, Parameter, PathItem, RequestBody } from "./types";

/** The body of /api/ready (lib/api/presenters/readiness.ts): the status for anyone, the checks for operators. */
const check = { ok: z.boolean(), error: z.string().optional() };
const readinessOutput = z.union([
  z.object({ status: z.enum(["ready", "not_ready", "starting"]).describe("Without the metrics token or an admin session: the status alone.") }),
  z.object({
    status: z.enum(["ready", "not_ready"]),
    checks: z.object({
      database: z.object(check),
      redis: z.object({ configured: z.boolean(), ...check }),
      models: z.array(z.object({ id: z.string(), state: z.enum(["UNLOADED", "LOADING", "READY", "FAILED"]), reason: z.string().optional() })),
    }),
  }),
  z.object({
    status: z.literal("starting").describe("Boot has not finished: the task defaults are still loading."),
    boot: z.object({ phase: z.enum(["booting", "failed"]), step: z.string().optional() }),
  }),
]);

export const REST_SCHEMAS: Record<string, JsonSchema> = {
  Health: outputOf(z.object({ status: z.literal("ok") })),
  Readiness: outputOf(readinessOutput),
  Model: outputOf(modelOutput),
  ModelList: listOf("Model"),
  ModelDetail: outputOf(modelDetailOutput),
  OcrResponse: outputOf(ocrResponse),
  VadResponse: outputOf(vadResponse),
  ClassifyRequest: inputOf(classifyInput),
  ClassifyResponse: outputOf(classifyResponse),
  Usage: outputOf(usageOutput),
  ApiKey: outputOf(keyOutput),
  ApiKeyList: listOf("ApiKey"),
  ApiKeyCreated: outputOf(keyOutput.extend({ key: z.string().describe("The full key. Shown only in this response: store it now.") })),
  CreateKeyRequest: inputOf(createKeyInput),
  SignUpRequest: inputOf(signUpInput),
  SignUpResponse: outputOf(z.object({ user: userOutput })),
};

/**
 * An inference body in its three encodings: the file itself as the body (one media type per accepted format; the
 * options in the query string), multipart (the options as text fields plus the file) and JSON (the options as JSON
 * values plus the file as base64). The options are the handler's own schema.
 */
function inferenceBody(options: z.ZodType, field: "image" | "audio"): RequestBody {
  const base = inputOf(options);
  const props = (base.properties ?? {}) as Record<string, JsonSchema>;
  const what = field === "image" ? "The image (PNG, JPEG or WebP)" : "The audio (WAV: PCM 8/16/24/32-bit or float, any rate, mono or stereo)";
  const types = RAW_MEDIA_TYPES[field];
  const withFile = (file: JsonSchema): JsonSchema => ({ ...base, properties: { [field]: file, ...props }, required: [field, ...((base.required ?? []) as string[])] });
  const raw = Object.fromEntries(types.map((t) => [t, { schema: { type: "string", contentMediaType: t, description: `${what}: the whole request body.` } }]));
  return {
    required: true,
    description:
      `Send the file as the request body with its media type (${types.map((t) => `\`${t}\``).join(", ")}) and the options in the query string, ` +
      "or multipart/form-data (options as text fields: `true`/`false` and numbers are parsed), or JSON with the file as base64 (a `data:` URL is accepted). " +
      "Query-string options may be added to any form; an option given twice is refused. The body is capped by PARETO_MAX_UPLOAD_MB (default 25 MiB of file); another media type is 415.",
    content: {
      ...raw,
      "multipart/form-data": {
        schema: withFile({ type: "string", contentMediaType: "application/octet-stream", description: `${what}.` }),
        encoding: { [field]: { contentType: types.join(", ") } },
      },
      "application/json": { schema: withFile({ type: "string", contentEncoding: "base64", description: `${what}, base64-encoded.` }) },
    },
  };
}

/** The options as query parameters: how a raw body carries them (and an addition to the other forms). */
function optionParams(options: z.ZodType): Parameter[] {
  return queryParams(options).map((p) => ({ ...p, description: `${p.description ? `${p.description} ` : ""}In the query string with a raw body; with multipart or JSON, here or in the body.` }));
}

const INFERENCE_ERRORS = [400, 402, 404, 408, 413, 415, 422, 503, 504];
const id = (what: string) => pathParam("id", what);

export const REST_PATHS: Record<string, PathItem> = {
  "/api/health": {
    get: operation("get", { id: "getHealth", tag: "Service", summary: "Liveness: the process is up and answering", auth: "public", ok: { status: 200, description: "Up.", schema: ref("Health") } }),
  },
  "/api/ready": {
    get: operation("get", {
      id: "getReady",
      tag: "Service",
      summary: "Readiness: boot finished, database, Redis (when configured), models with FAILED reasons",
      description: "Anyone gets the status alone. The checks (database and Redis errors, each model's state and FAILED reason, with no absolute paths) come with the `PARETO_METRICS_TOKEN` bearer token or an administrator's session.",
      auth: "public",
      ok: { status: 200, description: "Ready.", schema: ref("Readiness") },
      also: [{ status: 503, description: "Not ready: still starting, or the checks say why.", schema: ref("Readiness") }],
    }),
  },
  "/api/v1/openapi.json": {
    get: operation("get", { id: "getOpenApi", tag: "Service", summary: "This document (OpenAPI 3.1)", auth: "public", ok: { status: 200, description: "The OpenAPI document.", schema: { type: "object" } } }),
  },
  "/api/auth/signup": {
    post: operation("post", {
      id: "signUp",
      tag: "Account",
      summary: "Create an email + password account",
      description: "PARETO_SIGNUP decides who may sign up: anyone (`open`), holders of an admin's invite (`invite`, send its token as `invite`), nobody (`closed`, 403 `signup_closed`). Attempts are limited per client address (429 with `Retry-After`). The first account of a new installation becomes its administrator unless PARETO_ADMIN_EMAIL names one. Sign in through next-auth (`/api/auth/*`) afterwards. Must be sent from this site (Origin header).",
      auth: "public",
      body: jsonBody(ref("SignUpRequest")),
      ok: { status: 201, description: "Created.", schema: ref("SignUpResponse") },
      errors: [400, 403, 409, 413, 415, 422, 429],
    }),
  },
  "/api/v1/models": {
    get: operation("get", { id: "listModels", tag: "Models", summary: "Every model this host serves, with its live status", auth: "public", ok: { status: 200, description: "The catalog.", schema: ref("ModelList") } }),
  },
  "/api/v1/models/{id}": {
    get: operation("get", {
      id: "getModel",
      tag: "Models",
      summary: "One model with its tensor schema and latest benchmarks",
      auth: "public",
      parameters: [id("A model id, e.g. `silero-vad-v5`.")],
      ok: { status: 200, description: "The model.", schema: ref("ModelDetail") },
      errors: [404],
    }),
  },
  "/api/v1/ocr": {
    post: operation("post", {
      id: "ocr",
      tag: "Inference",
      summary: "Read the text in an image",
      description: "Lines in reading order with confidence and a 4-point box. `model` picks a variant (see /api/v1/models); the default is the task's default model.",
      auth: "keyOrSession",
      permission: "inference",
      parameters: optionParams(ocrOptions),
      body: inferenceBody(ocrOptions, "image"),
      ok: { status: 200, description: "The recognised lines.", schema: ref("OcrResponse") },
      errors: INFERENCE_ERRORS,
      metered: "compute",
    }),
  },
  "/api/v1/vad": {
    post: operation("post", {
      id: "vad",
      tag: "Inference",
      summary: "Find speech in audio",
      description: "Speech segments in seconds (Silero VAD, 32 ms frames at 16 kHz; other rates are resampled).",
      auth: "keyOrSession",
      permission: "inference",
      parameters: optionParams(vadOptions),
      body: inferenceBody(vadOptions, "audio"),
      ok: { status: 200, description: "The speech segments.", schema: ref("VadResponse") },
      errors: INFERENCE_ERRORS,
      metered: "compute",
    }),
  },
  "/api/v1/classify": {
    post: operation("post", {
      id: "classify",
      tag: "Inference",
      summary: "Classify texts",
      description:
        "Labels each text with a text classifier: the built-in language identifier (`langid-default`, ISO 639-1 codes) or a model trained here (`POST /api/v1/training-runs`). Up to 256 texts of at most 10,000 characters; `top_k` labels each, best first. `model: \"auto\"` chooses among one family's variants (`family`, default `langid`) by the constraints. Units billed: texts.",
      auth: "keyOrSession",
      permission: "inference",
      body: jsonBody(ref("ClassifyRequest")),
      ok: { status: 200, description: "The labels of each text, in input order.", schema: ref("ClassifyResponse") },
      errors: [400, 402, 404, 413, 415, 422, 503, 504],
      metered: "compute",
    }),
  },
  "/api/v1/usage": {
    get: operation("get", {
      id: "getUsage",
      tag: "Usage",
      summary: "Your usage and quota",
      description: "Aggregates for the range (default: the last 30 days) and this month's quota. Counts every authenticated request, refused ones included. Needs the `usage:read` scope; a key restricted to some models (`task:…`, `model:…`) sees only its own requests, and no routing decisions.",
      auth: "keyOrSession",
      permission: "usage:read",
      parameters: queryParams(usageQuery),
      ok: { status: 200, description: "The report.", schema: ref("Usage") },
      errors: [404, 422],
      metered: "rate",
    }),
  },
  "/api/v1/keys": {
    get: operation("get", { id: "listKeys", tag: "API keys", summary: "Your API keys (never the secrets)", auth: "session", ok: { status: 200, description: "Your keys.", schema: ref("ApiKeyList") } }),
    post: operation("post", {
      id: "createKey",
      tag: "API keys",
      summary: "Create an API key",
      description: "Default scopes: `inference`, `usage:read`. Limits left out fall back to the plan's.",
      auth: "session",
      body: jsonBody(ref("CreateKeyRequest")),
      ok: { status: 201, description: "The key, with its secret (shown once).", schema: ref("ApiKeyCreated") },
      errors: [400, 413, 415, 422],
    }),
  },
  "/api/v1/keys/{id}": {
    get: operation("get", { id: "getKey", tag: "API keys", summary: "One of your keys", auth: "session", parameters: [id("Key id.")], ok: { status: 200, description: "The key.", schema: ref("ApiKey") }, errors: [404] }),
    delete: operation("delete", {
      id: "revokeKey",
      tag: "API keys",
      summary: "Revoke a key (takes effect on the next request)",
      auth: "session",
      parameters: [id("Key id.")],
      ok: { status: 200, description: "The revoked key.", schema: ref("ApiKey") },
      errors: [404],
    }),
  },
  "/api/v1/keys/{id}/rotate": {
    post: operation("post", {
      id: "rotateKey",
      tag: "API keys",
      summary: "Replace a key: issue a new one with the same settings and revoke this one",
      auth: "session",
      parameters: [id("Key id.")],
      ok: { status: 201, description: "The replacement, with its secret (shown once).", schema: ref("ApiKeyCreated") },
      errors: [404],
    }),
  },
};
