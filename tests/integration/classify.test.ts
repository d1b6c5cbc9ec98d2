/**
 * POST /api/v1/classify over real HTTP on a server of its own: a text classifier written here (words → labels with
 * known weights) is uploaded as a `text` model, then classified through the API — answers equal to the model's own
 * arithmetic, top_k, batches, metering (units = texts, one usage event per request, the version header), `auto`
 * among one family — and every bad request gets a clear 4xx while the server stays healthy. A person opens the
 * playground before the API is called, so the first request after start is a page view.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { featurize, type FeaturizerConfig } from "@/lib/models/text/featurize";
import { buildTextModel } from "@/lib/models/text/graph";
import type { TextModelSpec } from "@/lib/models/text/spec";
import { bearer, createKey, newUser, waitFor, type TestUser } from "../support/api";
import { DirectDb } from "../support/infra";
import { CookieJar, request, signIn } from "../support/http";
import { freshDatabase, startServer, type RunningServer } from "../support/server";

const ADMIN = { email: "classify-admin@example.com", password: "classify-admin-password" };
const FEATURIZER: FeaturizerConfig = { buckets: 1024, char: null, word: [1, 1], maxFeatures: 64 };
const LABELS = ["greeting", "farewell", "question"];
const WORDS: Record<string, string[]> = { greeting: ["hello", "hi", "welcome"], farewell: ["bye", "goodbye", "farewell"], question: ["why", "how", "what"] };

type Classification = { id: string; object: string; model: string; data: { index: number; label: string; score: number; labels: { label: string; score: number }[] }[]; usage: { compute_ms: number; units: number }; selection?: { model: string } };
type ApiErr = { error: { type: string; code: string; message: string; param?: string } };

/** A linear model whose word weights are set by hand: each word votes 4 for its label. */
function wordModel(bias = 0): { spec: TextModelSpec; W: Float32Array; b: Float32Array; bytes: Uint8Array } {
  const spec: TextModelSpec = { labels: LABELS, featurizer: FEATURIZER, kind: "linear" };
  const W = new Float32Array(FEATURIZER.buckets * LABELS.length);
  LABELS.forEach((label, c) => {
    for (const w of WORDS[label]) for (const idx of featurize(w, FEATURIZER).indices) W[idx * LABELS.length + c] = 4;
  });
  const b = Float32Array.from(LABELS, (_, c) => (c === 0 ? bias : 0));
  return { spec, W, b, bytes: buildTextModel(spec, { kind: "linear", W, b }) };
}

/** What the graph computes, in plain arithmetic: softmax(Σ values · W[indices] + b). */
function reference(m: ReturnType<typeof wordModel>, text: string): number[] {
  const f = featurize(text, FEATURIZER);
  const C = LABELS.length;
  const z = Array.from(m.b);
  f.indices.forEach((idx, j) => {
    for (let c = 0; c < C; c++) z[c] += f.values[j] * m.W[idx * C + c];
  });
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const s = e.reduce((a, v) => a + v, 0);
  return e.map((v) => v / s);
}

let server: RunningServer;
let fresh: Awaited<ReturnType<typeof freshDatabase>>;
let admin: CookieJar;
let user: TestUser;
let key: string;
const first = wordModel(0);

function upload(fields: Record<string, string>, files: Record<string, { bytes: Uint8Array | Buffer; name: string }>, to = "/api/v1/admin/models") {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  for (const [k, f] of Object.entries(files)) fd.set(k, new Blob([new Uint8Array(f.bytes)]), f.name);
  return request(server.url, to, { method: "POST", jar: admin, body: fd });
}

const classify = (body: unknown, k = key, headers: Record<string, string> = {}) =>
  request(server.url, "/api/v1/classify", { method: "POST", headers: { "content-type": "application/json", ...bearer(k), ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });

const evalJsonl = LABELS.flatMap((label) => WORDS[label].map((w) => JSON.stringify({ text: `${w} there`, label }))).join("\n");

beforeAll(async () => {
  fresh = await freshDatabase();
  server = await startServer({ DATABASE_URL: fresh.url, PARETO_ADMIN_EMAIL: ADMIN.email, PARETO_ADMIN_PASSWORD: ADMIN.password }, { dataDir: fresh.dataDir });
  // Page first, as a person would: the catalog renders before any API call.
  expect((await request(server.url, "/models")).status).toBe(200);
  const s = await signIn(server.url, ADMIN.email, ADMIN.password);
  expect(s.ok).toBe(true);
  admin = s.jar;
  user = await newUser(server.url, "classify");
  expect((await request(server.url, `/api/v1/admin/users/${user.id}`, { method: "PATCH", jar: admin, json: { plan: "Pro" } })).status).toBe(200);
  key = (await createKey(server.url, user)).key;
  const res = await upload({ id: "intent", task: "text", name: "Intent", license: "MIT", version: "1" }, { file: { bytes: first.bytes, name: "intent.onnx" }, eval: { bytes: Buffer.from(evalJsonl), name: "eval.jsonl" } });
  expect(res.status, await res.clone().text()).toBe(201);
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await fresh?.drop();
});

describe("POST /api/v1/classify", () => {
  it("answers what the model computes, best label first, with top_k labels and the version that ran", async () => {
    const texts = ["hello my friend", "goodbye and farewell", "why and how", "nothing known here"];
    const res = await classify({ model: "intent", input: texts, top_k: 3 });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get("x-pareto-model-version")).toBe("1");
    expect(res.headers.get("x-request-id")).toBeTruthy();
    const body = (await res.json()) as Classification;
    expect(body).toMatchObject({ object: "classification", model: "intent", usage: { units: 4 } });
    expect(body.data.map((d) => d.index)).toEqual([0, 1, 2, 3]);
    expect(body.data.slice(0, 3).map((d) => d.label)).toEqual(["greeting", "farewell", "question"]);
    texts.forEach((t, i) => {
      const want = reference(first, t);
      expect(body.data[i].labels).toHaveLength(3);
      for (const l of body.data[i].labels) expect(l.score).toBeCloseTo(want[LABELS.indexOf(l.label)], 5);
      const scores = body.data[i].labels.map((l) => l.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(body.data[i].score).toBe(body.data[i].labels[0].score);
    });
    // A text with no known word: every label equally likely.
    body.data[3].labels.forEach((l) => expect(l.score).toBeCloseTo(1 / 3, 5));
  });

  it("takes a single string, defaults top_k to 1, and batches up to 256 texts", async () => {
    const one = (await (await classify({ model: "intent", input: "hi" })).json()) as Classification;
    expect(one.data).toHaveLength(1);
    expect(one.data[0].labels).toHaveLength(1);
    expect(one.data[0].label).toBe("greeting");
    const many = Array.from({ length: 256 }, (_, i) => WORDS[LABELS[i % 3]][i % 3]);
    const res = await classify({ model: "intent", input: many });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Classification;
    expect(body.usage.units).toBe(256);
    body.data.forEach((d, i) => expect(d.label).toBe(LABELS[i % 3]));
  });

  it("meters by texts: one usage event per request, with the model, version and units", async () => {
    const r = await classify({ model: "intent", input: ["hello", "bye"] });
    expect(r.status).toBe(200);
    const requestId = r.headers.get("x-request-id")!;
    const db = new DirectDb(fresh.url);
    try {
      const rows = await waitFor(
        () => db.query<{ modelId: string; modelVersion: string; units: number; unitKind: string; route: string; status: number }>(`SELECT "modelId", "modelVersion", units, "unitKind", route, status FROM "UsageEvent" WHERE "requestId" = $1`, [requestId]),
        (x) => x.length > 0,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ modelId: "intent", modelVersion: "1", unitKind: "text", route: "/api/v1/classify", status: 200 });
      expect(Number(rows[0].units)).toBe(2);
    } finally {
      await db.close();
    }
  });

  it("model=auto chooses among one family's versions (a trained model is its own family) once they are measured", async () => {
    const v2 = wordModel(3); // biased towards "greeting": less accurate on the eval set
    const res = await upload({ version: "2" }, { file: { bytes: v2.bytes, name: "intent-v2.onnx" }, eval: { bytes: Buffer.from(evalJsonl), name: "eval.jsonl" } }, "/api/v1/admin/models/intent/versions");
    expect(res.status, await res.clone().text()).toBe(201);
    type Reg = { versions: { version: string; status: string }[] };
    await waitFor(async () => (await (await request(server.url, "/api/v1/admin/models/intent", { jar: admin })).json()) as Reg, (m) => m.versions.every((v) => v.status === "ready"), 120_000);
    const auto = await classify({ model: "auto", family: "intent", input: "why", objective: "most_accurate" });
    expect(auto.status, await auto.clone().text()).toBe(200);
    const body = (await auto.json()) as Classification;
    expect(body.selection?.model).toBe("intent@1");
    expect(auto.headers.get("x-pareto-model")).toBe("intent");
    expect(auto.headers.get("x-pareto-model-version")).toBe("1");
    // A pinned version answers with its own weights.
    const pinned = (await (await classify({ model: "intent@2", input: "nothing", top_k: 3 })).json()) as Classification;
    const want = reference(v2, "nothing");
    expect(pinned.data[0].label).toBe("greeting");
    expect(pinned.data[0].score).toBeCloseTo(want[0], 5);
  }, 180_000);

  const bad: { name: string; body: unknown; headers?: Record<string, string>; status: number; code: string; param?: string }[] = [
    { name: "no input", body: { model: "intent" }, status: 422, code: "validation_error", param: "input" },
    { name: "empty string", body: { model: "intent", input: "" }, status: 422, code: "validation_error", param: "input" },
    { name: "empty list", body: { model: "intent", input: [] }, status: 422, code: "validation_error", param: "input" },
    { name: "257 texts", body: { model: "intent", input: Array.from({ length: 257 }, () => "hi") }, status: 422, code: "validation_error", param: "input" },
    { name: "a text of 10,001 characters", body: { model: "intent", input: ["a".repeat(10_001)] }, status: 422, code: "validation_error", param: "input.0" },
    { name: "a number in the list", body: { model: "intent", input: ["hi", 3] }, status: 422, code: "validation_error", param: "input" },
    { name: "input an object", body: { model: "intent", input: { text: "hi" } }, status: 422, code: "validation_error", param: "input" },
    { name: "top_k 0", body: { model: "intent", input: "hi", top_k: 0 }, status: 422, code: "validation_error", param: "top_k" },
    { name: "top_k 21", body: { model: "intent", input: "hi", top_k: 21 }, status: 422, code: "validation_error", param: "top_k" },
    { name: "top_k 1.5", body: { model: "intent", input: "hi", top_k: 1.5 }, status: 422, code: "validation_error", param: "top_k" },
    { name: "an unknown field", body: { model: "intent", input: "hi", colour: "red" }, status: 422, code: "validation_error", param: "colour" },
    { name: "family without auto", body: { model: "intent", input: "hi", family: "intent" }, status: 422, code: "validation_error", param: "family" },
    { name: "auto with an unknown family", body: { model: "auto", input: "hi", family: "nope" }, status: 404, code: "model_not_found", param: "family" },
    { name: "an unknown model", body: { model: "no-such-model", input: "hi" }, status: 404, code: "model_not_found", param: "model" },
    { name: "an unknown version", body: { model: "intent@9", input: "hi" }, status: 404, code: "model_not_found", param: "model" },
    { name: "a model of another task", body: { model: "silero-vad-v5", input: "hi" }, status: 422, code: "wrong_task", param: "model" },
    { name: "another task's alias", body: { model: "ocr-default", input: "hi" }, status: 422, code: "wrong_task", param: "model" },
    { name: "a malformed model id", body: { model: "Intent!", input: "hi" }, status: 422, code: "validation_error", param: "model" },
    { name: "not JSON", body: "{input: hi", status: 400, code: "invalid_json" },
    { name: "a JSON array", body: "[1,2]", status: 422, code: "validation_error" },
    { name: "form data", body: "input=hi", headers: { "content-type": "application/x-www-form-urlencoded" }, status: 415, code: "unsupported_media_type" },
  ];

  it.each(bad)("refuses $name with $status $code, and stays healthy", async (c) => {
    const res = await classify(c.body, key, c.headers);
    const text = await res.text();
    expect(res.status, text).toBe(c.status);
    const err = (JSON.parse(text) as ApiErr).error;
    expect(err.code).toBe(c.code);
    if (c.param) expect(err.param).toBe(c.param);
    expect(err.message).not.toMatch(/\n\s+at /);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect((await request(server.url, "/api/health")).status).toBe(200);
  });

  it("refuses a key restricted to another task, and a caller without a key", async () => {
    const vadOnly = await createKey(server.url, user, { name: "vad only", scopes: ["inference", "task:vad"] });
    const r = await classify({ model: "intent", input: "hi" }, vadOnly.key);
    expect(r.status).toBe(403);
    const textOnly = await createKey(server.url, user, { name: "text only", scopes: ["inference", "task:text"] });
    expect((await classify({ model: "intent", input: "hi" }, textOnly.key)).status).toBe(200);
    const anon = await request(server.url, "/api/v1/classify", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ input: "hi" }) });
    expect(anon.status).toBe(401);
  });
});
