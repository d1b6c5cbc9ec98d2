import { beforeAll, describe, expect, inject, it } from "vitest";
import { request } from "../support/http";
import { adminJar, bearer, createKey, newUser, waitFor, type TestUser } from "../support/api";
import { sileroFrame, type KserveTensor } from "../support/kserve";

const base = inject("baseUrl");

type Tensor = { name: string; shape: number[]; datatype: string; data: number[] };
type InferResponse = { model_name: string; model_version: string; id: string; outputs: Tensor[] };

const infer = (name: string, key: string | null, body: unknown, headers: Record<string, string> = {}) =>
  request(base, `/v2/models/${name}/infer`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? bearer(key) : {}), ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

/** The Silero frame with one input replaced (or removed with `null`). */
function frameWith(name: string, replacement: Partial<KserveTensor> | null, extra: KserveTensor[] = []) {
  const f = sileroFrame();
  const inputs = f.inputs.flatMap((t) => (t.name !== name ? [t] : replacement === null ? [] : [{ ...t, ...replacement }]));
  return { inputs: [...inputs, ...extra] };
}

/** Protocol errors are exactly `{"error": "<message>"}`. */
async function expectProtocolError(res: Response, status: number, message?: RegExp) {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  const body = JSON.parse(text) as Record<string, unknown>;
  expect(Object.keys(body)).toEqual(["error"]);
  expect(typeof body.error).toBe("string");
  if (message) expect(body.error).toMatch(message);
  expect(res.headers.get("x-request-id")).toMatch(/^req_/);
}

describe("KServe v2 Open Inference Protocol", () => {
  let user: TestUser;
  let key: string;

  beforeAll(async () => {
    user = await newUser(base, "kserve");
    // Pro's 300 requests a minute: this file makes more calls than Free's 30.
    const admin = await adminJar(base, inject("adminEmail"), inject("adminPassword"));
    expect((await request(base, `/api/v1/admin/users/${user.id}`, { method: "PATCH", jar: admin, json: { plan: "Pro" } })).status).toBe(200);
    key = (await createKey(base, user)).key;
  });

  it("health: live and ready are public", async () => {
    const live = await request(base, "/v2/health/live");
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ live: true });
    const ready = await request(base, "/v2/health/ready");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true });
    const meta = (await (await request(base, "/v2")).json()) as { name: string; extensions: string[] };
    expect(meta).toMatchObject({ name: "pareto", extensions: [] });
  });

  it("model metadata for silero-vad-v5 comes from the weight's tensor specs", async () => {
    const res = await request(base, "/v2/models/silero-vad-v5", { headers: bearer(key) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      name: "silero-vad-v5",
      versions: ["v5"],
      platform: "onnxruntime",
      inputs: [
        { name: "input", datatype: "FP32", shape: [-1, -1] },
        { name: "state", datatype: "FP32", shape: [2, -1, 128] },
        { name: "sr", datatype: "INT64", shape: [] },
      ],
      outputs: [
        { name: "output", datatype: "FP32", shape: [-1, 1] },
        { name: "stateN", datatype: "FP32", shape: [2, -1, 128] },
      ],
    });
    expect(res.headers.get("x-ratelimit-limit-requests")).toBeTruthy();
  });

  it("multi-file models are addressed per weight: <model id>.<weight>", async () => {
    const det = await request(base, "/v2/models/ppocr-v4-det960.ppocr-v4-det", { headers: bearer(key) });
    expect(det.status).toBe(200);
    expect(await det.json()).toMatchObject({ name: "ppocr-v4-det960.ppocr-v4-det", inputs: [{ name: "x", datatype: "FP32", shape: [-1, 3, -1, -1] }] });
    const cls = await request(base, "/v2/models/ppocr-v4-det960-cls.ppocr-mobile-v2-cls/ready", { headers: bearer(key) });
    expect(cls.status).toBe(200);
    expect(await cls.json()).toEqual({ name: "ppocr-v4-det960-cls.ppocr-mobile-v2-cls", ready: true });
    // The plain id of a multi-file model is not a KServe model; the error names the ones that are.
    await expectProtocolError(await request(base, "/v2/models/ppocr-v4-det960", { headers: bearer(key) }), 404, /ppocr-v4-det960\.ppocr-v4-rec/);
    // The dictionary is not an ONNX graph.
    await expectProtocolError(await request(base, "/v2/models/ppocr-v4-det960.ppocr-keys-v1", { headers: bearer(key) }), 404);
  });

  it("infer on Silero v5: a silent frame gives a probability in [0, 1] and the next state", async () => {
    const res = await infer("silero-vad-v5", key, { ...sileroFrame(), id: "frame-1" });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    const body = JSON.parse(text) as InferResponse;
    expect(body).toMatchObject({ model_name: "silero-vad-v5", model_version: "v5", id: "frame-1" });
    const out = body.outputs.find((o) => o.name === "output")!;
    expect(out).toMatchObject({ datatype: "FP32", shape: [1, 1] });
    expect(out.data[0]).toBeGreaterThanOrEqual(0);
    expect(out.data[0]).toBeLessThanOrEqual(1);
    expect(out.data[0]).toBeLessThan(0.5); // silence
    const state = body.outputs.find((o) => o.name === "stateN")!;
    expect(state).toMatchObject({ datatype: "FP32", shape: [2, 1, 128] });
    expect(state.data).toHaveLength(256);
    expect(Number(res.headers.get("x-compute-ms"))).toBeGreaterThan(0);
    expect(res.headers.get("x-quota-remaining-compute-ms")).toMatch(/^\d+$/);
    expect(res.headers.get("x-ratelimit-remaining-requests")).toMatch(/^\d+$/);
  });

  it("the <model id>.<weight> name runs the same graph; `outputs` selects what comes back", async () => {
    const res = await infer("silero-vad-v5.silero-vad-v5", key, { ...sileroFrame(), outputs: [{ name: "stateN" }] });
    expect(res.status).toBe(200);
    const body = (await res.json()) as InferResponse;
    expect(body.model_name).toBe("silero-vad-v5.silero-vad-v5");
    expect(body.id).toMatch(/^req_/);
    expect(body.outputs.map((o) => o.name)).toEqual(["stateN"]);
  });

  it("an OCR weight runs under its <model id>.<weight> name (detection on a blank 32×32 image)", async () => {
    const x = { name: "x", shape: [1, 3, 32, 32], datatype: "FP32", data: new Array(3 * 32 * 32).fill(0) };
    const res = await infer("ppocr-v4-det960.ppocr-v4-det", key, { inputs: [x] });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    const body = JSON.parse(text) as InferResponse;
    expect(body).toMatchObject({ model_name: "ppocr-v4-det960.ppocr-v4-det", model_version: "PP-OCRv4" });
    expect(body.outputs).toHaveLength(1);
    expect(body.outputs[0]).toMatchObject({ name: "sigmoid_0.tmp_0", datatype: "FP32", shape: [1, 1, 32, 32] });
    expect(body.outputs[0].data).toHaveLength(32 * 32);
    expect(body.outputs[0].data.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  const huge = 2 ** 31 - 1;
  const bad: { name: string; model?: string; body: unknown; status: number; message: RegExp }[] = [
    { name: "wrong datatype", body: frameWith("input", { datatype: "INT64" }), status: 400, message: /input "input" must be FP32, got INT64/ },
    { name: "unsupported datatype", body: frameWith("input", { datatype: "FP64" }), status: 400, message: /inputs\[0\]\.datatype/ },
    { name: "shape/data mismatch", body: frameWith("input", { data: new Array(575).fill(0) }), status: 400, message: /576 elements\) but 575 data values/ },
    { name: "wrong rank", body: frameWith("input", { shape: [576] }), status: 400, message: /rank 2/ },
    { name: "fixed axis mismatch", body: frameWith("state", { shape: [2, 1, 64], data: new Array(128).fill(0) }), status: 400, message: /axis 2 must be 128/ },
    { name: "batch sizes disagree", body: frameWith("state", { shape: [2, 2, 128], data: new Array(512).fill(0) }), status: 400, message: /batch sizes disagree/ },
    { name: "unknown input name", body: frameWith("sr", null, [{ name: "rate", shape: [], datatype: "INT64", data: [16000] }]), status: 400, message: /no input "rate"/ },
    { name: "missing input", body: frameWith("state", null), status: 400, message: /missing input "state"/ },
    { name: "input given twice", body: frameWith("sr", null, [sileroFrame().inputs[2], sileroFrame().inputs[2]]), status: 400, message: /given twice/ },
    { name: "unknown output", body: { ...sileroFrame(), outputs: [{ name: "logits" }] }, status: 400, message: /no output "logits"/ },
    { name: "unknown model", model: "whisper-large", body: sileroFrame(), status: 404, message: /No KServe model "whisper-large"/ },
    { name: "NaN literal (not JSON)", body: JSON.stringify(sileroFrame()).replace('"data":[16000]', '"data":[NaN]'), status: 400, message: /not valid JSON/ },
    { name: "NaN serialised as null", body: frameWith("input", { data: [NaN, ...new Array(575).fill(0)] }), status: 400, message: /flat, row-major array of finite numbers/ },
    { name: "Infinity (1e999)", body: JSON.stringify(sileroFrame()).replace('"data":[0,', '"data":[1e999,'), status: 400, message: /inputs\[0\]\.data\[0\]|out of range/ },
    { name: "nested data", body: frameWith("input", { data: [new Array(576).fill(0)] as unknown as number[] }), status: 400, message: /flat, row-major/ },
    { name: "INT64 not an integer", body: frameWith("sr", { data: [16000.5] }), status: 400, message: /not a safe integer/ },
    { name: "huge shape", body: frameWith("input", { shape: [huge, huge], data: [0] }), status: 400, message: /too large/ },
    { name: "shape beyond int32", body: frameWith("input", { shape: [1, 2 ** 40], data: [0] }), status: 400, message: /inputs\[0\]\.shape\[1\]/ },
    { name: "no inputs", body: { inputs: [] }, status: 400, message: /inputs/ },
    { name: "not an object", body: "[1,2,3]", status: 400, message: /expected object/i },
  ];

  it.each(bad)("bad request: $name → $status {error}", async ({ model, body, status, message }) => {
    await expectProtocolError(await infer(model ?? "silero-vad-v5", key, body), status, message);
  });

  it("a non-JSON body is 415 in the protocol's shape", async () => {
    await expectProtocolError(await infer("silero-vad-v5", key, "x", { "content-type": "text/plain" }), 415);
  });

  it("keys: none → 401, read-only → metadata yes, infer 403; model-restricted keys stay in their lane", async () => {
    await expectProtocolError(await infer("silero-vad-v5", null, sileroFrame()), 401, /API key/);
    await expectProtocolError(await request(base, "/v2/models/silero-vad-v5"), 401);
    await expectProtocolError(await infer("silero-vad-v5", "pk_notakey", sileroFrame()), 401);
    const readOnly = (await createKey(base, user, { scopes: ["read"] })).key;
    expect((await request(base, "/v2/models/silero-vad-v5", { headers: bearer(readOnly) })).status).toBe(200);
    await expectProtocolError(await infer("silero-vad-v5", readOnly, sileroFrame()), 403, /inference/);
    const v4Only = (await createKey(base, user, { scopes: ["inference", "model:silero-vad-v4"] })).key;
    await expectProtocolError(await infer("silero-vad-v5", v4Only, sileroFrame()), 403, /not allowed to use model silero-vad-v5/);
    const ocrOnly = (await createKey(base, user, { scopes: ["inference", "task:ocr"] })).key;
    await expectProtocolError(await infer("silero-vad-v5", ocrOnly, sileroFrame()), 403);
  });

  it("quota: a key capped at 2 requests a month gets 402 on the third, in the protocol's shape", async () => {
    const u = await newUser(base, "kserve-quota");
    const { key: capped } = await createKey(base, u, { monthly_requests: 2 });
    expect((await infer("silero-vad-v5", capped, sileroFrame())).status).toBe(200);
    expect((await infer("silero-vad-v5", capped, sileroFrame())).status).toBe(200);
    const third = await infer("silero-vad-v5", capped, sileroFrame());
    expect(third.headers.get("x-quota-limit")).toBe("monthly_requests");
    await expectProtocolError(third, 402, /Monthly quota exhausted/);
    // A refused or invalid call is not billed: the quota shows exactly the two that ran.
    await infer("silero-vad-v5", capped, frameWith("state", null));
    type Usage = { quota: { requests: { used: number; reserved: number } }; totals: { requests: number; errors: number }; recent: { route: string; source: string; status: number; model: string | null }[] };
    const report = await waitFor(
      async () => (await (await request(base, "/api/v1/usage?model=silero-vad-v5", { jar: u.jar })).json()) as Usage,
      (r) => r.totals.requests >= 4,
    );
    expect(report.quota.requests).toMatchObject({ used: 2, reserved: 0 });
    expect(report.totals).toMatchObject({ requests: 4, errors: 2 });
    expect(report.recent.every((r) => r.route === "/v2/models/{name}/infer" && r.source === "kserve")).toBe(true);
    expect(report.recent.map((r) => r.status).sort()).toEqual([200, 200, 400, 402]);
  });
});
