import "server-only";
import pkg from "@/package.json";
import { baseComponents } from "./components";
import { ADMIN_PATHS, ADMIN_SCHEMAS } from "./paths-admin";
import { JOBS_PATHS, JOBS_SCHEMAS, JOBS_TAG_DESCRIPTION } from "./paths-jobs";
import { KSERVE_SCHEMAS, KSERVE_TAG_DESCRIPTION, kservePaths } from "./paths-kserve";
import { REST_PATHS, REST_SCHEMAS } from "./paths-rest";
import { SELECTION_PATHS, SELECTION_SCHEMAS } from "./paths-selection";
import { TRAINING_PATHS, TRAINING_SCHEMAS, TRAINING_TAG_DESCRIPTION } from "./paths-training";
import type { OpenApiDocument } from "./types";

const DESCRIPTION = [
  "Pareto serves ONNX models — PaddleOCR PP-OCRv4 and Silero VAD — on this host. Every schema here is generated from the zod schemas the server validates with.",
  "Programs authenticate with an API key (`Authorization: Bearer pk_…`); the browser uses its session cookie. Errors share one shape, `{\"error\": {\"type\", \"code\", \"message\", \"param\"?}}`, except under /v2, which follows the KServe protocol (`{\"error\": \"…\"}`). Every response carries `x-request-id`.",
  "Metered routes (inference, usage, KServe) return `x-ratelimit-*` headers; inference adds `x-compute-ms` and the quota left. A 429 carries `Retry-After`; a 402 names the exhausted monthly limit.",
  "Not described: next-auth's own sign-in routes under /api/auth/*, the GitHub link step /api/auth/link, and the page-internal /api/account/locale, /api/account/password and /api/account/webhook-secret.",
].join("\n\n");

function build(): OpenApiDocument {
  const components = baseComponents();
  Object.assign(components.schemas, REST_SCHEMAS, ADMIN_SCHEMAS, SELECTION_SCHEMAS, TRAINING_SCHEMAS, JOBS_SCHEMAS, KSERVE_SCHEMAS);
  return {
    openapi: "3.1.0",
    info: { title: "Pareto API", version: pkg.version, description: DESCRIPTION },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    servers: [{ url: "/", description: "This server" }],
    tags: [
      { name: "Inference", description: "Run a model on an image or audio file." },
      { name: "Models", description: "The catalog, with live status, tensor schemas and benchmarks measured on this host." },
      { name: "Usage", description: "Your requests, compute and quota." },
      { name: "API keys", description: "Create, list, rotate and revoke keys (signed-in session)." },
      { name: "Account", description: "Sign-up." },
      { name: "Model selection", description: "Measured accuracy/latency trade-offs, benchmark runs and default promotion." },
      { name: "Administration", description: "Plans, users, models, usage and the audit log (administrators)." },
      { name: "Jobs", description: JOBS_TAG_DESCRIPTION },
      { name: "Training", description: TRAINING_TAG_DESCRIPTION },
      { name: "KServe v2", description: KSERVE_TAG_DESCRIPTION },
      { name: "Service", description: "Health and this document." },
    ],
    paths: { ...REST_PATHS, ...ADMIN_PATHS, ...SELECTION_PATHS, ...JOBS_PATHS, ...TRAINING_PATHS, ...kservePaths() },
    components,
  };
}

let cached: OpenApiDocument | undefined;

/** The document, built once per process (it depends only on code and the upload-size setting). */
export function openApiDocument(): OpenApiDocument {
  cached ??= build();
  return cached;
}
