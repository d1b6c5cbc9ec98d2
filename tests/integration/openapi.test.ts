import fs from "node:fs";
import path from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { JsonSchema, Method, OpenApiDocument, Operation, Ref, ResponseObject } from "@/lib/api/openapi/types";
import { request, type CookieJar } from "../support/http";
import { adminJar, bearer, createKey, form, newUser, sample, tinyWav, type TestUser } from "../support/api";
import { validateJson } from "../support/json-schema";
import { sileroFrame } from "../support/kserve";
import { matmulAddSoftmax } from "../support/onnx-builder";
import { ROOT } from "../support/server";
import { syntheticCsv, trainingForm } from "../support/text-dataset";

const base = inject("baseUrl");

/** A raw inference body: the file itself, with its media type. */
const raw = (type: string, bytes: Buffer): RequestInit => ({ method: "POST", headers: { "content-type": type }, body: new Uint8Array(bytes) });

interface Call {
  path: string;
  init?: RequestInit & { json?: unknown };
  /** The status this call must get (it must also be one the document lists). */
  status: number;
}

interface Fixtures {
  user: TestUser;
  key: string;
  admin: CookieJar;
  freshKeyId: () => Promise<string>;
  planId: string;
}

let uploads = 0;
/** Models this file uploaded, deleted when it ends (each is measured in the background meanwhile). */
const created = new Set<string>();
/** A multipart model upload of a small dense classifier (seeded, so versions differ). */
function denseUpload(fields: Record<string, string>, seed = 1): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  fd.set("file", new Blob([new Uint8Array(matmulAddSoftmax({ inputDim: 4, outputDim: 2, seed }))]), "dense.onnx");
  return fd;
}
/** A fresh uploaded tensor model (a second version too when asked), for the calls that need one. */
async function uploaded(f: Fixtures, withVersion2 = false): Promise<string> {
  const id = `doc-dense-${Date.now().toString(36)}-${uploads++}`;
  const res = await request(base, "/api/v1/admin/models", { method: "POST", jar: f.admin, body: denseUpload({ id, task: "tensor" }) });
  expect(res.status, await res.clone().text()).toBe(201);
  created.add(id);
  if (withVersion2) expect((await request(base, `/api/v1/admin/models/${id}/versions`, { method: "POST", jar: f.admin, body: denseUpload({ version: "2" }, 2) })).status).toBe(201);
  return id;
}
const track = (id: string) => (created.add(id), id);
/**
 * Training runs: one at a time per instance, so a call that needs a running run first cancels whatever is training
 * (the startTrainingRun call leaves one), then starts its own with a budget that outlasts the test's next request.
 */
async function stopTraining(admin: CookieJar): Promise<void> {
  const runs = (await (await request(base, "/api/v1/training-runs", { jar: admin })).json()) as { data: { id: string; status: string }[] };
  for (const r of runs.data.filter((x) => x.status === "running" || x.status === "queued")) await request(base, `/api/v1/training-runs/${r.id}`, { method: "DELETE", jar: admin });
}
async function trainingRun(admin: CookieJar): Promise<string> {
  await stopTraining(admin);
  const res = await request(base, "/api/v1/training-runs", { method: "POST", jar: admin, body: trainingForm(syntheticCsv(200), "doc.csv", { id: track(`doc-train-${Date.now().toString(36)}`), budget_s: "300" }) });
  expect(res.status, await res.clone().text()).toBe(202);
  return ((await res.json()) as { id: string }).id;
}
/** A short VAD job (a WAV of speech-less noise), submitted with the fixtures' key; its id. */
async function job(f: Fixtures): Promise<string> {
  const res = await request(base, "/api/v1/jobs", { method: "POST", headers: bearer(f.key), body: form("file", tinyWav(2), "doc.wav", { task: "vad" }) });
  expect(res.status, await res.clone().text()).toBe(202);
  return ((await res.json()) as { id: string }).id;
}
const denseInfer = () => ({ inputs: [{ name: "X", datatype: "FP32", shape: [1, 4], data: [0.1, 0.2, 0.3, 0.4] }] });

/**
 * How to call each documented operation: the calls that must succeed (one per request content type) and a call
 * that must fail with a documented status. Authentication is added from the operation's `security`.
 */
const CALLS: Record<string, (f: Fixtures) => Promise<{ ok: Call[]; bad?: Call; skipOk?: string }>> = {
  getHealth: async () => ({ ok: [{ path: "/api/health", status: 200 }] }),
  getReady: async () => ({ ok: [{ path: "/api/ready", status: 200 }] }),
  getOpenApi: async () => ({ ok: [{ path: "/api/v1/openapi.json", status: 200 }] }),
  signUp: async () => ({
    ok: [{ path: "/api/auth/signup", init: { method: "POST", json: { email: `doc-${Date.now()}@example.com`, password: "test-password-1" } }, status: 201 }],
    bad: { path: "/api/auth/signup", init: { method: "POST", json: { email: "nope", password: "test-password-1" } }, status: 422 },
  }),
  listModels: async () => ({ ok: [{ path: "/api/v1/models", status: 200 }] }),
  getModel: async () => ({ ok: [{ path: "/api/v1/models/silero-vad-v5", status: 200 }], bad: { path: "/api/v1/models/no-such-model", status: 404 } }),
  ocr: async () => ({
    ok: [
      { path: "/api/v1/ocr", init: { method: "POST", body: form("image", sample("sign-en.png"), "sign.png", { use_angle_cls: "false" }) }, status: 200 },
      { path: "/api/v1/ocr", init: { method: "POST", json: { image: sample("sign-en.png").toString("base64"), min_score: 0.5 } }, status: 200 },
      // Raw bodies, one per documented media type, with the options in the query string.
      { path: "/api/v1/ocr?min_score=0.5", init: raw("image/png", sample("sign-en.png")), status: 200 },
      { path: "/api/v1/ocr", init: raw("image/jpeg", await sharp(sample("sign-en.png")).jpeg().toBuffer()), status: 200 },
      { path: "/api/v1/ocr?use_angle_cls=false", init: raw("image/webp", await sharp(sample("sign-en.png")).webp().toBuffer()), status: 200 },
    ],
    bad: { path: "/api/v1/ocr", init: { method: "POST", json: { image: "!!not base64!!" } }, status: 400 },
  }),
  vad: async () => ({
    ok: [
      { path: "/api/v1/vad", init: { method: "POST", body: form("audio", tinyWav(), "a.wav", { threshold: "0.5" }) }, status: 200 },
      { path: "/api/v1/vad", init: { method: "POST", json: { audio: tinyWav().toString("base64"), return_probabilities: true } }, status: 200 },
      ...["audio/wav", "audio/wave", "audio/x-wav", "audio/vnd.wave"].map((t) => ({ path: "/api/v1/vad?threshold=0.5", init: raw(t, tinyWav()), status: 200 })),
    ],
    bad: { path: "/api/v1/vad", init: { method: "POST", json: { audio: tinyWav().toString("base64"), threshold: 2 } }, status: 422 },
  }),
  classify: async () => ({
    ok: [{ path: "/api/v1/classify", init: { method: "POST", json: { model: "langid-default", input: ["Où est la gare ?", "Where is the station?"], top_k: 2 } }, status: 200 }],
    bad: { path: "/api/v1/classify", init: { method: "POST", json: { input: [] } }, status: 422 },
  }),
  getUsage: async () => ({ ok: [{ path: "/api/v1/usage?limit=5", status: 200 }], bad: { path: "/api/v1/usage?from=yesterday", status: 422 } }),
  exportUsage: async () => ({ ok: [{ path: "/api/v1/usage/export.csv", status: 200 }], bad: { path: "/api/v1/usage/export.csv?key=no-such-key", status: 404 } }),
  createJob: async () => ({
    ok: [{ path: "/api/v1/jobs", init: { method: "POST", body: form("file", tinyWav(2), "doc.wav", { task: "vad", metadata: '{"ref":"doc"}' }) }, status: 202 }],
    bad: { path: "/api/v1/jobs", init: { method: "POST", body: form("file", Buffer.from("not a document"), "doc.txt") }, status: 415 },
  }),
  listJobs: async () => ({ ok: [{ path: "/api/v1/jobs?limit=2", status: 200 }], bad: { path: "/api/v1/jobs?status=done", status: 422 } }),
  getJob: async (f) => ({ ok: [{ path: `/api/v1/jobs/${await job(f)}`, status: 200 }], bad: { path: "/api/v1/jobs/job_000000000000000000000000", status: 404 } }),
  cancelJob: async (f) => ({ ok: [{ path: `/api/v1/jobs/${await job(f)}`, init: { method: "DELETE" }, status: 200 }], bad: { path: "/api/v1/jobs/nope", init: { method: "DELETE" }, status: 404 } }),
  listJobDeliveries: async (f) => ({ ok: [{ path: `/api/v1/jobs/${await job(f)}/deliveries`, status: 200 }], bad: { path: "/api/v1/jobs/nope/deliveries", status: 404 } }),
  getJobInput: async (f) => ({ ok: [{ path: `/api/v1/jobs/${await job(f)}/input`, status: 200 }], bad: { path: "/api/v1/jobs/nope/input", status: 404 } }),
  listKeys: async () => ({ ok: [{ path: "/api/v1/keys", status: 200 }] }),
  createKey: async () => ({
    ok: [{ path: "/api/v1/keys", init: { method: "POST", json: { name: "doc test", scopes: ["read"] } }, status: 201 }],
    bad: { path: "/api/v1/keys", init: { method: "POST", json: { name: "" } }, status: 422 },
  }),
  getKey: async (f) => ({ ok: [{ path: `/api/v1/keys/${await f.freshKeyId()}`, status: 200 }], bad: { path: "/api/v1/keys/no-such-key", status: 404 } }),
  revokeKey: async (f) => ({ ok: [{ path: `/api/v1/keys/${await f.freshKeyId()}`, init: { method: "DELETE" }, status: 200 }] }),
  rotateKey: async (f) => ({
    ok: [{ path: `/api/v1/keys/${await f.freshKeyId()}/rotate`, init: { method: "POST" }, status: 201 }],
    bad: { path: "/api/v1/keys/no-such-key/rotate", init: { method: "POST" }, status: 404 },
  }),
  adminListPlans: async () => ({ ok: [{ path: "/api/v1/admin/plans", status: 200 }] }),
  adminUpdatePlan: async (f) => {
    // Writes the plan's current value back: documented behaviour without changing anyone's limits.
    const plans = (await (await request(base, "/api/v1/admin/plans", { jar: f.admin })).json()) as { data: { id: string; requests_per_minute: number }[] };
    const plan = plans.data.find((p) => p.id === f.planId)!;
    return {
      ok: [{ path: `/api/v1/admin/plans/${plan.id}`, init: { method: "PATCH", json: { requests_per_minute: plan.requests_per_minute } }, status: 200 }],
      bad: { path: `/api/v1/admin/plans/${plan.id}`, init: { method: "PATCH", json: {} }, status: 422 },
    };
  },
  adminListUsers: async (f) => ({ ok: [{ path: `/api/v1/admin/users?search=${encodeURIComponent(f.user.email)}`, status: 200 }] }),
  adminUpdateUser: async (f) => ({
    ok: [{ path: `/api/v1/admin/users/${f.user.id}`, init: { method: "PATCH", json: { disabled: false } }, status: 200 }],
    bad: { path: `/api/v1/admin/users/${f.user.id}`, init: { method: "PATCH", json: { role: "ROOT" } }, status: 422 },
  }),
  adminListInvites: async () => ({ ok: [{ path: "/api/v1/admin/invites", status: 200 }] }),
  adminCreateInvite: async () => ({
    ok: [{ path: "/api/v1/admin/invites", init: { method: "POST", json: { expires_in_days: 1 } }, status: 201 }],
    bad: { path: "/api/v1/admin/invites", init: { method: "POST", json: { expires_in_days: 0 } }, status: 422 },
  }),
  adminRevokeInvite: async (f) => {
    const made = (await (await request(base, "/api/v1/admin/invites", { method: "POST", jar: f.admin, json: {} })).json()) as { id: string };
    return { ok: [{ path: `/api/v1/admin/invites/${made.id}`, init: { method: "DELETE" }, status: 200 }], bad: { path: "/api/v1/admin/invites/no-such-invite", init: { method: "DELETE" }, status: 404 } };
  },
  adminListModels: async () => ({ ok: [{ path: "/api/v1/admin/models", status: 200 }] }),
  adminModelAction: async () => ({
    ok: [{ path: "/api/v1/admin/models/silero-vad-v5/load", init: { method: "POST" }, status: 200 }],
    bad: { path: "/api/v1/admin/models/no-such-model/load", init: { method: "POST" }, status: 404 },
  }),
  adminUploadModel: async () => ({
    ok: [{ path: "/api/v1/admin/models", init: { method: "POST", body: denseUpload({ id: track(`doc-upload-${Date.now().toString(36)}`), task: "tensor", name: "Doc model" }) }, status: 201 }],
    bad: { path: "/api/v1/admin/models", init: { method: "POST", body: denseUpload({ id: "Not An Id", task: "tensor" }) }, status: 422 },
  }),
  adminGetRegistryModel: async (f) => ({ ok: [{ path: `/api/v1/admin/models/${await uploaded(f)}`, status: 200 }], bad: { path: "/api/v1/admin/models/no-such-model", status: 404 } }),
  adminPatchRegistryModel: async (f) => {
    const id = await uploaded(f, true);
    return {
      ok: [{ path: `/api/v1/admin/models/${id}`, init: { method: "PATCH", json: { traffic: { "1": 90, "2": 10 } } }, status: 200 }],
      bad: { path: `/api/v1/admin/models/${id}`, init: { method: "PATCH", json: { traffic: { "1": 90 } } }, status: 422 },
    };
  },
  adminDeleteRegistryModel: async (f) => ({
    ok: [{ path: `/api/v1/admin/models/${await uploaded(f)}`, init: { method: "DELETE" }, status: 200 }],
    bad: { path: "/api/v1/admin/models/silero-vad-v5", init: { method: "DELETE" }, status: 409 },
  }),
  adminAddModelVersion: async (f) => {
    const id = await uploaded(f);
    return {
      ok: [{ path: `/api/v1/admin/models/${id}/versions`, init: { method: "POST", body: denseUpload({ version: "2" }, 2) }, status: 201 }],
      bad: { path: `/api/v1/admin/models/${id}/versions`, init: { method: "POST", body: denseUpload({ version: "1" }) }, status: 409 },
    };
  },
  adminDeleteModelVersion: async (f) => {
    const id = await uploaded(f, true);
    return {
      ok: [{ path: `/api/v1/admin/models/${id}/versions/2`, init: { method: "DELETE" }, status: 200 }],
      bad: { path: `/api/v1/admin/models/${id}/versions/1`, init: { method: "DELETE" }, status: 409 },
    };
  },
  adminUsage: async () => ({ ok: [{ path: "/api/v1/admin/usage", status: 200 }], bad: { path: "/api/v1/admin/usage?top=0", status: 422 } }),
  adminAudit: async () => ({ ok: [{ path: "/api/v1/admin/audit?limit=5", status: 200 }], bad: { path: "/api/v1/admin/audit?limit=0", status: 422 } }),
  getFrontier: async () => ({ ok: [{ path: "/api/v1/selection/frontier?task=vad", status: 200 }], bad: { path: "/api/v1/selection/frontier?task=asr", status: 422 } }),
  // Benchmark runs and promotion take the host's CPU for minutes and change defaults: only their refusals run here
  // (the selection tests cover the rest).
  adminStartBenchmark: async () => ({
    ok: [],
    skipOk: "starts a background benchmark",
    bad: { path: "/api/v1/admin/benchmarks", init: { method: "POST", json: { mode: "quick", models: ["no-such-model"] } }, status: 404 },
  }),
  adminGetBenchmark: async () => ({ ok: [], skipOk: "needs a run", bad: { path: "/api/v1/admin/benchmarks/no-such-run", status: 404 } }),
  adminCancelBenchmark: async () => ({ ok: [], skipOk: "needs a run", bad: { path: "/api/v1/admin/benchmarks/no-such-run/cancel", init: { method: "POST" }, status: 404 } }),
  adminPromoteModel: async () => ({ ok: [], skipOk: "changes the task default", bad: { path: "/api/v1/admin/models/no-such-model/promote", init: { method: "POST" }, status: 404 } }),
  listTrainingRuns: async () => ({ ok: [{ path: "/api/v1/training-runs", status: 200 }] }),
  startTrainingRun: async (f) => {
    await stopTraining(f.admin);
    return {
      ok: [{ path: "/api/v1/training-runs", init: { method: "POST", body: trainingForm(syntheticCsv(20), "doc.csv", { id: track(`doc-train-${Date.now().toString(36)}`), budget_s: "5" }) }, status: 202 }],
      bad: { path: "/api/v1/training-runs", init: { method: "POST", body: trainingForm(syntheticCsv(20), "doc.csv", { id: "doc-train-bad", budget_s: "1" }) }, status: 422 },
    };
  },
  previewTrainingDataset: async () => ({
    ok: [{ path: "/api/v1/training-runs/preview", init: { method: "POST", body: trainingForm(syntheticCsv(5), "doc.csv", {}) }, status: 200 }],
    bad: { path: "/api/v1/training-runs/preview", init: { method: "POST", body: trainingForm(Buffer.from("hello,spam\n"), "doc.csv", {}) }, status: 422 },
  }),
  getTrainingRun: async (f) => ({ ok: [{ path: `/api/v1/training-runs/${await trainingRun(f.admin)}`, status: 200 }], bad: { path: "/api/v1/training-runs/no-such-run", status: 404 } }),
  cancelTrainingRun: async (f) => ({
    ok: [{ path: `/api/v1/training-runs/${await trainingRun(f.admin)}`, init: { method: "DELETE" }, status: 200 }],
    bad: { path: "/api/v1/training-runs/no-such-run", init: { method: "DELETE" }, status: 404 },
  }),
  kserveServerMetadata: async () => ({ ok: [{ path: "/v2", status: 200 }] }),
  kserveLive: async () => ({ ok: [{ path: "/v2/health/live", status: 200 }] }),
  kserveReady: async () => ({ ok: [{ path: "/v2/health/ready", status: 200 }] }),
  kserveModelMetadata: async () => ({ ok: [{ path: "/v2/models/silero-vad-v5", status: 200 }], bad: { path: "/v2/models/ppocr-v4-det960", status: 404 } }),
  kserveModelReady: async () => ({ ok: [{ path: "/v2/models/ppocr-v4-det960.ppocr-v4-det/ready", status: 200 }], bad: { path: "/v2/models/nope/ready", status: 404 } }),
  kserveModelVersionMetadata: async () => ({ ok: [{ path: "/v2/models/silero-vad-v5/versions/v5", status: 200 }], bad: { path: "/v2/models/silero-vad-v5/versions/v9", status: 404 } }),
  kserveModelVersionReady: async (f) => ({ ok: [{ path: `/v2/models/${await uploaded(f, true)}/versions/2/ready`, status: 200 }], bad: { path: "/v2/models/silero-vad-v5/versions/v9/ready", status: 404 } }),
  kserveInferVersion: async (f) => ({
    ok: [{ path: `/v2/models/${await uploaded(f, true)}/versions/2/infer`, init: { method: "POST", json: denseInfer() }, status: 200 }],
    bad: { path: "/v2/models/silero-vad-v5/versions/v9/infer", init: { method: "POST", json: sileroFrame() }, status: 404 },
  }),
  kserveInfer: async () => ({
    ok: [{ path: "/v2/models/silero-vad-v5/infer", init: { method: "POST", json: sileroFrame() }, status: 200 }],
    bad: { path: "/v2/models/silero-vad-v5/infer", init: { method: "POST", json: { inputs: [{ name: "input", shape: [1, 2], datatype: "FP32", data: [0] }] } }, status: 400 },
  }),
};

/** Route files and the methods they export, as documented paths (`[id]` → `{id}`). */
function routeHandlers(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === "route.ts") {
        const src = fs.readFileSync(p, "utf8");
        const route = "/" + path.relative(path.join(ROOT, "app"), path.dirname(p)).split(path.sep).join("/").replace(/\[(\w+)\]/g, "{$1}");
        for (const m of src.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)) out.push(`${m[1].toLowerCase()} ${route}`);
      }
    }
  };
  walk(path.join(ROOT, "app", "api"));
  walk(path.join(ROOT, "app", "v2"));
  return out.sort();
}

/** Browser-internal routes and test hooks (404 unless PARETO_TEST_HOOKS=1) the document deliberately leaves out. */
const UNDOCUMENTED = ["post /api/account/locale", "post /api/account/password", "get /api/account/webhook-secret", "post /api/account/webhook-secret", "post /api/auth/link", "post /api/v1/admin/test/crash-workers"];

describe("OpenAPI 3.1 document", () => {
  let doc: OpenApiDocument;
  let fx: Fixtures;
  const ops: { method: Method; path: string; op: Operation }[] = [];

  beforeAll(async () => {
    const res = await request(base, "/api/v1/openapi.json");
    expect(res.status).toBe(200);
    doc = (await res.json()) as OpenApiDocument;
    for (const [p, item] of Object.entries(doc.paths)) for (const [m, op] of Object.entries(item)) ops.push({ method: m as Method, path: p, op: op as Operation });
    const user = await newUser(base, "openapi");
    const admin = await adminJar(base, inject("adminEmail"), inject("adminPassword"));
    // Pro's 300 requests a minute: this file makes a few dozen calls with one user.
    expect((await request(base, `/api/v1/admin/users/${user.id}`, { method: "PATCH", jar: admin, json: { plan: "Pro" } })).status).toBe(200);
    const plans = (await (await request(base, "/api/v1/admin/plans", { jar: admin })).json()) as { data: { id: string; name: string }[] };
    fx = {
      user,
      key: (await createKey(base, user)).key,
      admin,
      freshKeyId: async () => (await createKey(base, user, { name: "doc fixture" })).id,
      planId: plans.data.find((p) => p.name === "Pro")!.id,
    };
  });
  afterAll(async () => {
    await stopTraining(fx.admin);
    // The shared server keeps serving other files: the models made here go (404 for the ones a call deleted already).
    for (const id of created) await request(base, `/api/v1/admin/models/${id}`, { method: "DELETE", jar: fx.admin });
  });

  it("validates as OpenAPI 3.1 with swagger-parser", async () => {
    expect(doc.openapi).toBe("3.1.0");
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });

  it("describes every route handler, and nothing that does not exist", () => {
    const documented = ops.map((o) => `${o.method} ${o.path}`).sort();
    expect(documented).toEqual(routeHandlers().filter((r) => !UNDOCUMENTED.includes(r)));
  });

  it("has a request table entry for every operation, with unique operation ids", () => {
    const ids = ops.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(Object.keys(CALLS).sort());
  });

  it("generates real schemas: free-form `{}` only where the zod schema says unknown", () => {
    const empty: string[] = [];
    const walk = (x: unknown, p: string) => {
      if (Array.isArray(x)) x.forEach((v, i) => walk(v, `${p}/${i}`));
      else if (x && typeof x === "object") {
        if (Object.keys(x).length === 0 && !p.endsWith("/enum")) empty.push(p);
        for (const [k, v] of Object.entries(x)) walk(v, `${p}/${k}`);
      }
    };
    walk(doc.components.schemas, "");
    const allowed = /\/(conditions|details|additionalProperties)$/;
    expect(empty.filter((p) => !allowed.test(p))).toEqual([]);
  });

  it("documents the error shape, headers and security schemes as shared components", () => {
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(["bearerAuth", "sessionCookie"]);
    expect(doc.components.schemas.Error).toMatchObject({ required: ["error"] });
    for (const h of ["x-request-id", "x-ratelimit-limit-requests", "Retry-After", "x-compute-ms", "x-quota-remaining-compute-ms"]) expect(doc.components.headers[h]).toBeTruthy();
    const infer = doc.paths["/api/v1/vad"].post!;
    expect(Object.keys(infer.responses).sort()).toEqual(["200", "400", "401", "402", "403", "404", "408", "413", "415", "422", "429", "503", "504"]);
    expect(Object.keys(infer.requestBody!.content).sort()).toEqual(["application/json", "audio/vnd.wave", "audio/wav", "audio/wave", "audio/x-wav", "multipart/form-data"]);
    // The options of a raw body are query parameters.
    expect(infer.parameters?.filter((p) => p.in === "query").map((p) => p.name)).toContain("threshold");
    const multipart = infer.requestBody!.content["multipart/form-data"].schema as JsonSchema;
    expect((multipart.required as string[])[0]).toBe("audio");
    expect(Object.keys(multipart.properties as object)).toContain("threshold");
  });

  const resolve = (r: ResponseObject | Ref): ResponseObject => {
    if (!("$ref" in r)) return r;
    return doc.components.responses[r.$ref.split("/").pop()!];
  };

  function authFor(op: Operation, via: "key" | "session" | "none"): { headers: Record<string, string>; jar?: CookieJar } {
    if (via === "none" || !op.security.length) return { headers: {} };
    if (via === "key") return { headers: bearer(fx.key) };
    const admin = op.security.some((s) => s.sessionCookie?.includes("admin"));
    return { headers: {}, jar: admin ? fx.admin : fx.user.jar };
  }

  async function callAndCheck(o: (typeof ops)[number], call: Call, via: "key" | "session" | "none"): Promise<void> {
    const template = new RegExp(`^${o.path.replace(/\{\w+\}/g, "[^/?]+")}(\\?.*)?$`);
    expect(call.path, "the call matches the documented path").toMatch(template);
    const { headers, jar } = authFor(o.op, via);
    const res = await request(base, call.path, { method: o.method.toUpperCase(), ...call.init, headers: { ...headers, ...(call.init?.headers as Record<string, string>) }, jar });
    const documented = Object.keys(o.op.responses).map(Number);
    const text = await res.text();
    expect(documented, `${o.method.toUpperCase()} ${call.path} answered ${res.status}: ${text.slice(0, 300)}`).toContain(res.status);
    expect(res.status, text.slice(0, 300)).toBe(call.status);
    const response = resolve(o.op.responses[String(res.status)]);
    for (const [name, h] of Object.entries(response.headers ?? {})) {
      const required = "$ref" in h ? doc.components.headers[h.$ref.split("/").pop()!].required : h.required;
      // Success responses carry every header they document; error responses at least the required ones.
      if (required || res.ok) expect(res.headers.get(name), `header ${name}`).not.toBeNull();
    }
    // A download may be documented with several media types (a job's input has its format's): the answer has one of them.
    const contentType = res.headers.get("content-type") ?? "";
    const entries = Object.entries(response.content ?? {});
    if (!entries.length) return;
    const [type, media] = entries.find(([t]) => contentType.includes(t)) ?? entries[0];
    expect(contentType).toContain(type);
    if (type === "application/json") {
      const errors = validateJson(doc, media.schema, JSON.parse(text));
      expect(errors, `${o.method.toUpperCase()} ${call.path} body vs documented schema`).toEqual([]);
    }
  }

  it("every operation answers as documented: statuses, headers and bodies", async () => {
    for (const o of ops) {
      const calls = await CALLS[o.op.operationId](fx);
      const viaKey = o.op.security.some((s) => s.bearerAuth);
      const viaSession = o.op.security.some((s) => s.sessionCookie);
      for (const call of calls.ok) {
        await callAndCheck(o, call, viaKey ? "key" : viaSession ? "session" : "none");
        // Routes that take either also work with the browser session (the playground).
        if (viaKey && viaSession) await callAndCheck(o, call, "session");
      }
      expect(calls.ok.length > 0 || Boolean(calls.skipOk), `${o.op.operationId} has a successful call`).toBe(true);
      const types = calls.ok.map((c) => (c.init?.body instanceof FormData ? "multipart/form-data" : ((c.init?.headers as Record<string, string> | undefined)?.["content-type"] ?? "application/json")));
      if (o.op.requestBody && calls.ok.length) expect(new Set(types), `${o.op.operationId} exercises every request content type`).toEqual(new Set(Object.keys(o.op.requestBody.content)));
      if (calls.bad) await callAndCheck(o, calls.bad, viaKey ? "key" : viaSession ? "session" : "none");
      if (o.op.security.length) await callAndCheck(o, { ...(calls.ok[0] ?? calls.bad!), status: 401 }, "none");
    }
  });

  it("the docs page renders the document offline, grouped by tag, in both languages", async () => {
    for (const [locale, title] of [["en", "API reference"], ["zh", "API 参考"]] as const) {
      const res = await request(base, "/docs", { headers: { cookie: `pareto-locale=${locale}` } });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain(title);
      for (const o of ops) expect(html).toContain(`id="${o.op.operationId}"`);
      expect(html).toContain("KServe v2");
      // No third-party assets: everything the page loads is same-origin.
      expect(html).not.toMatch(/<(script|link)[^>]+(src|href)="https?:\/\//);
    }
  });
});
