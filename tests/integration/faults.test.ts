/**
 * Faults, each on a dedicated server so the shared one is never disturbed: missing and corrupt weight files, an
 * inference worker dying mid-request, PostgreSQL and Redis going away and coming back, SIGTERM and kill -9 under load.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { request, type CookieJar } from "../support/http";
import { adminJar, bearer, createKey, form, newUser, sample, tinyWav, waitFor, type TestUser } from "../support/api";
import { alive, childPids, DirectDb, pgDatabase, pgReachable, REDIS_BASE_URL, redisReachable } from "../support/infra";
import { freshDatabase, ROOT, startServer, type Env, type RunningServer } from "../support/server";
import { sileroFrame } from "../support/kserve";
import { TcpProxy } from "../support/tcp-proxy";

type ErrorBody = { error: { code: string; message: string } };
type Outcome = { status: number; code?: string; requestId: string | null; retryAfter?: string | null } | { error: string };

const ADMIN = { email: "faults-admin@example.com", password: "faults-admin-password" };
const METRICS_TOKEN = "faults-metrics-token-0123456789";
const BASE_ENV: Env = { PARETO_AUTO_BENCHMARK: "0", PARETO_ADMIN_EMAIL: ADMIN.email, PARETO_ADMIN_PASSWORD: ADMIN.password, PARETO_METRICS_TOKEN: METRICS_TOKEN };
/** /api/ready with its checks: they come only with the metrics token (or an admin session). */
const readyDetails = (base: string) => request(base, "/api/ready", { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });

/** A dedicated server on a database nobody else uses; `cleanup` stops it and drops the database. */
async function dedicated(env: Env = {}, db?: { url: string; dataDir?: string }) {
  const fresh = db ? { url: db.url, dataDir: db.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "pareto-fault-")), drop: async () => undefined } : await freshDatabase();
  const server = await startServer({ ...BASE_ENV, DATABASE_URL: fresh.url, ...env }, { dataDir: fresh.dataDir });
  return {
    server,
    url: fresh.url,
    cleanup: async () => {
      await server.stop().catch(() => undefined);
      await fresh.drop();
    },
  };
}

async function outcome(p: Promise<Response>): Promise<Outcome> {
  try {
    const res = await p;
    const text = await res.text();
    let code: string | undefined;
    try {
      code = (JSON.parse(text) as Partial<ErrorBody>).error?.code;
    } catch {
      /* not JSON */
    }
    return { status: res.status, code, requestId: res.headers.get("x-request-id"), retryAfter: res.headers.get("retry-after") };
  } catch (e) {
    return { error: e instanceof Error ? `${e.message} ${String((e.cause as Error | undefined)?.message ?? "")}` : String(e) };
  }
}

const responded = (o: Outcome): o is Extract<Outcome, { status: number }> => "status" in o;

/** An enterprise user (no plan limits in the way) with a key. */
async function enterpriseUser(base: string, admin: CookieJar, keyBody: Record<string, unknown> = {}) {
  const u = await newUser(base, "fault");
  expect((await request(base, `/api/v1/admin/users/${u.id}`, { method: "PATCH", jar: admin, json: { plan: "Enterprise" } })).status).toBe(200);
  const { key, id } = await createKey(base, u, keyBody);
  return { user: u, key, keyId: id };
}

const vad = (base: string, key: string) => request(base, "/api/v1/vad", { method: "POST", headers: bearer(key), body: form("audio", tinyWav(0.3), "a.wav") });
const ocr = (base: string, key: string, image: Buffer = sample("sign-en.png"), fields: Record<string, string> = {}) =>
  request(base, "/api/v1/ocr", { method: "POST", headers: bearer(key), body: form("image", image, "i.png", fields) });

/** One series of the Prometheus text (0 when absent). */
async function metric(base: string, jar: CookieJar, line: RegExp): Promise<number> {
  const text = await (await request(base, "/metrics", { jar })).text();
  return text.split("\n").filter((l) => line.test(l)).reduce((s, l) => s + Number(l.split(" ").pop()), 0);
}

/**
 * A project root for PARETO_ROOT: `build/` and every file under `node_modules/` symlinked to the real ones, except
 * the weights named in `missing` (left out) and `corrupt` (replaced by garbage). The server's cwd stays ROOT.
 */
function fakeRoot(missing: string[], corrupt: string[]): string {
  const fake = fs.mkdtempSync(path.join(os.tmpdir(), "pareto-root-"));
  fs.symlinkSync(path.join(ROOT, "build"), path.join(fake, "build"));
  fs.symlinkSync(path.join(ROOT, "models"), path.join(fake, "models"));
  const special = [...missing, ...corrupt];
  const mirror = (rel: string) => {
    fs.mkdirSync(path.join(fake, "node_modules", rel), { recursive: true });
    for (const e of fs.readdirSync(path.join(ROOT, "node_modules", rel))) {
      const r = rel ? `${rel}/${e}` : e;
      if (missing.includes(r)) continue;
      if (corrupt.includes(r)) fs.writeFileSync(path.join(fake, "node_modules", r), Buffer.from("this is not an ONNX protobuf, just some bytes"));
      else if (special.some((s) => s.startsWith(`${r}/`))) mirror(r);
      else fs.symlinkSync(path.join(ROOT, "node_modules", r), path.join(fake, "node_modules", r));
    }
  };
  mirror("");
  return fake;
}

/** A large page of text: OCR on it keeps a worker busy for seconds. */
function bigTextImage(): Promise<Buffer> {
  const lines = Array.from({ length: 60 }, (_, i) => `Line ${i}: the quick brown fox jumps over the lazy dog 0123456789`);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="2400" height="${60 * 56 + 40}"><rect width="100%" height="100%" fill="#fff"/>` +
    lines.map((l, i) => `<text x="20" y="${40 + i * 56}" font-family="DejaVu Sans" font-size="32">${l}</text>`).join("") +
    "</svg>";
  return sharp(Buffer.from(svg)).png().toBuffer();
}

type ModelJson = { id: string; status: string; status_reason: string | null };
type Ready = { status: string; checks: { database: { ok: boolean; error?: string }; models: { id: string; state: string; reason?: string }[] } };

describe("a missing and a corrupt weight file", () => {
  let s: Awaited<ReturnType<typeof dedicated>>;
  let base: string;
  let key: string;
  let root: string;

  beforeAll(async () => {
    // Silero v6 is missing, Silero v4 (legacy) is corrupt; everything else is the real install.
    root = fakeRoot(["@ricky0123/vad-web/dist/silero_vad_v6.onnx"], ["@ricky0123/vad-web/dist/silero_vad_legacy.onnx"]);
    s = await dedicated({ PARETO_ROOT: root });
    base = s.server.url;
    key = (await createKey(base, await newUser(base, "weights"))).key;
  });
  afterAll(async () => {
    await s?.cleanup();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  const run = (model: string) => request(base, "/api/v1/vad", { method: "POST", headers: bearer(key), body: form("audio", tinyWav(), "a.wav", { model }) });

  it("the missing one is FAILED with its reason in /api/ready, on GET /api/v1/models/{id} and on its card; using it is 503", async () => {
    const ready = await readyDetails(base);
    expect(ready.status).toBe(200); // other models can serve
    const body = (await ready.json()) as Ready;
    const v6 = body.checks.models.find((m) => m.id === "silero-vad-v6")!;
    expect(v6.state).toBe("FAILED");
    expect(v6.reason).toMatch(/weight file missing: .*silero_vad_v6\.onnx/);

    const model = (await (await request(base, "/api/v1/models/silero-vad-v6")).json()) as ModelJson;
    expect(model).toMatchObject({ status: "FAILED", status_reason: expect.stringMatching(/weight file missing/) });
    const card = await request(base, "/models/silero-vad-v6");
    expect(card.status).toBe(200);
    expect(await card.text()).toContain("weight file missing");

    const res = await run("silero-vad-v6");
    expect(res.status).toBe(503);
    expect(((await res.json()) as ErrorBody).error.code).toBe("model_unavailable");
    expect(res.headers.get("retry-after")).toBeTruthy();
  });

  it("the corrupt one fails at its first use with 503 and is then FAILED with onnxruntime's reason", async () => {
    const res = await run("silero-vad-v4");
    expect(res.status).toBe(503);
    const e = ((await res.json()) as ErrorBody).error;
    expect(e.code).toBe("model_unavailable");
    expect(e.message).not.toMatch(/\n\s+at /);
    const model = (await (await request(base, "/api/v1/models/silero-vad-v4")).json()) as ModelJson;
    expect(model.status).toBe("FAILED");
    expect(model.status_reason?.length).toBeGreaterThan(10);
    const ready = (await (await readyDetails(base)).json()) as Ready;
    expect(ready.checks.models.find((m) => m.id === "silero-vad-v4")).toMatchObject({ state: "FAILED", reason: model.status_reason });
    expect((await run("silero-vad-v4")).status).toBe(503);
  });

  it("/api/ready: the status alone for anyone, the checks for the metrics token and admins; no absolute path in any answer", async () => {
    const anon = await request(base, "/api/ready");
    expect(anon.status).toBe(200);
    expect(await anon.json()).toEqual({ status: "ready" });
    const user = await newUser(base, "ready-user");
    expect(await (await request(base, "/api/ready", { jar: user.jar })).json()).toEqual({ status: "ready" });
    expect(await (await request(base, "/api/ready", { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } })).json()).toEqual({ status: "ready" });

    const admin = await adminJar(base, ADMIN.email, ADMIN.password);
    const answers: { what: string; text: string }[] = [];
    for (const [what, init] of [
      ["ready (token)", { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }],
      ["ready (admin)", { jar: admin }],
    ] as const) {
      const res = await request(base, "/api/ready", init);
      const text = await res.text();
      answers.push({ what, text });
      const body = JSON.parse(text) as Ready;
      expect(body.checks.database.ok, what).toBe(true);
      expect(body.checks.models.find((m) => m.id === "silero-vad-v6")?.reason, what).toMatch(/weight file missing: .*silero_vad_v6\.onnx/);
    }
    answers.push({ what: "model", text: await (await request(base, "/api/v1/models/silero-vad-v6")).text() });
    answers.push({ what: "models", text: await (await request(base, "/api/v1/models")).text() });
    answers.push({ what: "admin models", text: await (await request(base, "/api/v1/admin/models", { jar: admin })).text() });
    answers.push({ what: "run", text: await (await run("silero-vad-v6")).text() });
    answers.push({ what: "run corrupt", text: await (await run("silero-vad-v4")).text() });
    answers.push({ what: "kserve ready", text: await (await request(base, "/v2/models/silero-vad-v6/ready", { headers: bearer(key) })).text() });
    answers.push({ what: "card", text: await (await request(base, "/models/silero-vad-v6")).text() });
    for (const a of answers) {
      for (const p of [root, fs.realpathSync(root), ROOT, os.tmpdir()]) expect(a.text, a.what).not.toContain(p);
    }
  });

  it("every other model serves", async () => {
    expect((await run("silero-vad-v5")).status).toBe(200);
    const res = await ocr(base, key);
    expect(res.status).toBe(200);
    const models = (await (await request(base, "/api/v1/models")).json()) as { data: ModelJson[] };
    for (const m of models.data.filter((x) => !["silero-vad-v4", "silero-vad-v6"].includes(x.id))) expect(m.status).not.toBe("FAILED");
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
  });
});

describe("an inference worker crashes mid-request", () => {
  let s: Awaited<ReturnType<typeof dedicated>>;
  let base: string;
  let admin: CookieJar;
  let user: TestUser;
  let key: string;

  beforeAll(async () => {
    s = await dedicated({ PARETO_TEST_HOOKS: "1" });
    base = s.server.url;
    admin = await adminJar(base, ADMIN.email, ADMIN.password);
    ({ user, key } = await enterpriseUser(base, admin));
  });
  afterAll(async () => s?.cleanup());

  it("without PARETO_TEST_HOOKS the crash hook does not exist (404, even for an admin)", async () => {
    const shared = inject("baseUrl");
    const jar = await adminJar(shared, inject("adminEmail"), inject("adminPassword"));
    for (const init of [{ jar }, {}]) {
      const res = await request(shared, "/api/v1/admin/test/crash-workers", { method: "POST", ...init });
      expect(res.status).toBe(404);
      expect(((await res.json()) as ErrorBody).error.code).toBe("not_found");
    }
  });

  it("the hook is for admins only", async () => {
    expect((await request(base, "/api/v1/admin/test/crash-workers", { method: "POST" })).status).toBe(401);
    expect((await request(base, "/api/v1/admin/test/crash-workers", { method: "POST", jar: user.jar })).status).toBe(403);
  });

  it("the request in flight gets 503 worker_crashed, the workers are replaced, and the next request succeeds", async () => {
    // Warm up first: a crash during a model's cold load is a different story (the load fails).
    expect((await ocr(base, key)).status).toBe(200);
    const big = await bigTextImage();
    const slow = outcome(ocr(base, key, big));
    const inFlight = await waitFor(() => metric(base, admin, /^pareto_in_flight\{model="ppocr-v4-det960"\}/), (n) => n >= 1, 60_000);
    expect(inFlight).toBeGreaterThanOrEqual(1);
    const crash = await request(base, "/api/v1/admin/test/crash-workers", { method: "POST", jar: admin });
    expect(crash.status).toBe(200);
    const { crashed_workers: crashed } = (await crash.json()) as { crashed_workers: number };
    expect(crashed).toBeGreaterThanOrEqual(1);

    const o = await slow;
    expect(o).toMatchObject({ status: 503, code: "worker_crashed", retryAfter: "1" });
    expect(await waitFor(() => metric(base, admin, /^pareto_worker_crashes_total /), (n) => n >= crashed)).toBeGreaterThanOrEqual(crashed);

    // Replaced workers load their sessions lazily: the very next requests succeed.
    expect((await ocr(base, key)).status).toBe(200);
    expect((await vad(base, key)).status).toBe(200);
    const ready = (await (await readyDetails(base)).json()) as Ready;
    expect(ready.status).toBe("ready");
    expect(ready.checks.models.find((m) => m.id === "ppocr-v4-det960")?.state).toBe("READY");

    // The crashed request was metered as a 503 and its quota reservation released, not billed. Wait for all four
    // events: the use of the last two may reach the counter up to a write-back later (quota leases), but always
    // before their events do.
    type Usage = { quota: { requests: { used: number; reserved: number } }; recent: { request_id: string; status: number; error_code: string | null }[] };
    const usage = await waitFor(
      async () => (await (await request(base, "/api/v1/usage", { jar: user.jar })).json()) as Usage,
      (u) => u.recent.some((r) => r.request_id === (o as { requestId: string }).requestId) && u.recent.length >= 4,
    );
    expect(usage.recent.find((r) => r.request_id === (o as { requestId: string }).requestId)).toMatchObject({ status: 503, error_code: "worker_crashed" });
    expect(usage.quota.requests).toMatchObject({ used: 3, reserved: 0 });
  });
});

const pgOk = await pgReachable();
if (!pgOk) console.warn("faults: PostgreSQL not reachable — skipping the database-outage test");

describe.skipIf(!pgOk)("PostgreSQL goes away mid-load and comes back", () => {
  let db: Awaited<ReturnType<typeof pgDatabase>>;
  let proxy: TcpProxy;
  let s: Awaited<ReturnType<typeof dedicated>>;
  let base: string;

  beforeAll(async () => {
    db = await pgDatabase();
    const real = new URL(db.url);
    proxy = new TcpProxy({ host: real.hostname, port: Number(real.port || 5432) });
    const via = new URL(db.url);
    via.hostname = "127.0.0.1";
    via.port = String(await proxy.start());
    s = await dedicated({}, { url: via.toString() });
    base = s.server.url;
  });
  afterAll(async () => {
    await s?.cleanup();
    await proxy?.cut();
    await db?.drop();
  });

  it("requests fail with a clean 503 `unavailable` (never 500) while it is away, succeed again after, and every 2xx is metered", async () => {
    const admin = await adminJar(base, ADMIN.email, ADMIN.password);
    const { key } = await enterpriseUser(base, admin);
    // Each request is labelled with its lane and the phase it started in and the one it ended in.
    const results: { lane: string; phase: string; end: string; o: Outcome }[] = [];
    let phase = "before";
    let stop = false;
    // A steady trickle: two lanes of back-to-back REST requests and one of KServe (its own error shape).
    const lane = async (name: string, send: () => Promise<Response>) => {
      while (!stop) {
        const p = phase;
        const o = await outcome(send());
        results.push({ lane: name, phase: p, end: phase, o });
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const kserve = () => request(base, "/v2/models/silero-vad-v5/infer", { method: "POST", headers: bearer(key), json: sileroFrame() });
    const lanes = [lane("rest", () => vad(base, key)), lane("rest", () => vad(base, key)), lane("kserve", kserve)];
    const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

    await wait(3_000);
    phase = "down";
    await proxy.cut();
    await waitFor(async () => results.filter((r) => r.phase === "down").length, (n) => n >= 10, 30_000);
    const health = await fetch(`${base}/api/health`);
    expect(health.status).toBe(200);
    const ready = await readyDetails(base);
    expect(ready.status).toBe(503);
    const detail = (await ready.json()) as Ready;
    expect(detail.checks.database.ok).toBe(false);
    // Anyone else learns the status, never the error text (it names the database's host and port).
    const anon = await request(base, "/api/ready");
    expect(anon.status).toBe(503);
    expect(await anon.json()).toEqual({ status: "not_ready" });
    const v2 = await request(base, "/v2/health/ready");
    expect(v2.status).toBe(503);
    expect(await v2.text()).not.toContain(new URL(s.url).port);

    phase = "after";
    await proxy.start();
    const since = results.length;
    await waitFor(async () => results.slice(since).filter((r) => r.phase === "after" && responded(r.o) && r.o.status === 200).length, (n) => n >= 6, 60_000);
    stop = true;
    await Promise.all(lanes);

    const failed = results.filter((r) => !responded(r.o));
    expect(failed, JSON.stringify(failed.slice(0, 3))).toEqual([]);
    const all = results.map((r) => ({ lane: r.lane, phase: r.phase, end: r.end, ...(r.o as Extract<Outcome, { status: number }>) }));
    const unhandled = s.server.logs().split("\n").filter((l) => l.includes('"msg":"unhandled error"')).map((l) => l.slice(0, 600));
    expect(all.filter((r) => r.status >= 500 && r.status !== 503), unhandled.slice(0, 3).join("\n")).toEqual([]);
    expect(all.filter((r) => r.end === "before").every((r) => r.status === 200)).toBe(true);
    const down = all.filter((r) => r.phase === "down" || r.end === "down");
    expect(down.filter((r) => r.status === 503).length).toBeGreaterThan(0);
    expect(down.filter((r) => r.lane === "kserve" && r.status === 503).length).toBeGreaterThan(0);
    for (const r of down.filter((x) => x.status !== 200)) {
      expect(r).toMatchObject({ status: 503, retryAfter: "2" });
      if (r.lane === "rest") expect(r.code).toBe("unavailable");
    }
    expect(all.slice(-4).every((r) => r.status === 200)).toBe(true);
    expect(s.server.proc.exitCode).toBeNull();
    // What PostgreSQL's absence looks like from here: pg's "Connection terminated unexpectedly" for queries on a
    // cut connection, Prisma's P1001 "Can't reach database server" for new ones.
    expect(s.server.logs()).toMatch(/"msg":"database unavailable".*"error":"(Connection terminated unexpectedly|Can't reach database server)/);

    // Usage events buffered while the database was away are written once it is back.
    const direct = new DirectDb(db.url);
    try {
      const ok = all.filter((r) => r.status >= 200 && r.status < 300).map((r) => r.requestId!);
      const everyone = all.map((r) => r.requestId!);
      const written = await waitFor(
        async () => new Set((await direct.query<{ requestId: string }>(`SELECT "requestId" FROM "UsageEvent" WHERE "requestId" = ANY($1)`, [everyone])).map((r) => r.requestId)),
        (w) => everyone.every((id) => w.has(id)),
        60_000,
      );
      expect(ok.filter((id) => !written.has(id))).toEqual([]);
      expect(everyone.filter((id) => !written.has(id))).toEqual([]);
    } finally {
      await direct.close();
    }
  });
});

const redisOk = await redisReachable();
if (!redisOk) console.warn("faults: Redis not reachable — skipping the Redis-outage test");

describe.skipIf(!redisOk)("Redis goes away and comes back", () => {
  let proxy: TcpProxy;
  let s: Awaited<ReturnType<typeof dedicated>>;
  let base: string;

  beforeAll(async () => {
    const real = new URL(REDIS_BASE_URL);
    proxy = new TcpProxy({ host: real.hostname, port: Number(real.port || 6379) });
    const port = await proxy.start();
    s = await dedicated({ REDIS_URL: `redis://127.0.0.1:${port}/${8 + Math.floor(Math.random() * 8)}` });
    base = s.server.url;
  });
  afterAll(async () => {
    await s?.cleanup();
    await proxy?.cut();
  });

  it("metered requests get a clean 503 `unavailable` (never 500) while the limits cannot be checked, and succeed after", async () => {
    const admin = await adminJar(base, ADMIN.email, ADMIN.password);
    const { key } = await enterpriseUser(base, admin);
    expect((await vad(base, key)).status).toBe(200);

    await proxy.cut();
    const down = await Promise.all(Array.from({ length: 4 }, () => outcome(vad(base, key))));
    for (const o of down) expect(o).toMatchObject({ status: 503, code: "unavailable", retryAfter: "2" });
    const ready = await readyDetails(base);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: { redis: { ok: boolean } } }).checks.redis.ok).toBe(false);
    expect((await fetch(`${base}/api/health`)).status).toBe(200);

    await proxy.start();
    const back = await waitFor(() => outcome(vad(base, key)), (o) => responded(o) && o.status === 200, 60_000);
    expect(back).toMatchObject({ status: 200 });
    expect((await request(base, "/api/ready")).status).toBe(200);
    expect(s.server.proc.exitCode).toBeNull();
    expect(s.server.logs()).toMatch(/"msg":"redis unavailable"/);
    expect(s.server.logs()).not.toMatch(/"msg":"unhandled error"/);
  });
});

describe("SIGTERM under load", () => {
  let s: Awaited<ReturnType<typeof dedicated>>;
  afterAll(async () => s?.cleanup());

  it("in-flight requests finish (2xx, or a clean 503 if they arrived while draining), the process exits 0, every response is metered", async () => {
    s = await dedicated();
    const base = s.server.url;
    const admin = await adminJar(base, ADMIN.email, ADMIN.password);
    const { key } = await enterpriseUser(base, admin);
    expect((await ocr(base, key)).status).toBe(200); // warm: the model is loaded

    const exited = new Promise<number | null>((resolve) => s.server.proc.once("exit", (code) => resolve(code)));
    const inflight = Array.from({ length: 20 }, () => outcome(ocr(base, key)));
    // Signal once the runtime holds most of them (queued or running).
    await waitFor(
      async () => (await metric(base, admin, /^pareto_(in_flight|queue_depth)\{model="ppocr-v4-det960"\}/)),
      (n) => n >= 15,
      30_000,
    );
    s.server.proc.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    const late = await Promise.all(Array.from({ length: 3 }, () => outcome(vad(base, key))));

    const results = await Promise.all(inflight);
    expect(await exited).toBe(0);
    expect(results.filter((o) => !responded(o))).toEqual([]);
    const statuses = results.map((o) => (o as { status: number; code?: string }));
    for (const o of statuses) expect(o.status === 200 || (o.status === 503 && o.code === "shutting_down"), JSON.stringify(o)).toBe(true);
    expect(statuses.filter((o) => o.status === 200).length).toBeGreaterThanOrEqual(15);
    for (const o of late) expect(o).toMatchObject({ status: 503, code: "shutting_down" });
    expect(s.server.logs()).toMatch(/"msg":"usage events flushed"/);

    const direct = new DirectDb(s.url);
    try {
      const ids = [...results, ...late].filter(responded).map((o) => o.requestId!);
      const rows = await direct.query<{ requestId: string }>(`SELECT "requestId" FROM "UsageEvent" WHERE "route" IN ('/api/v1/ocr', '/api/v1/vad')`);
      const have = new Set(rows.map((r) => r.requestId));
      expect(ids.filter((id) => !have.has(id))).toEqual([]);
    } finally {
      await direct.close();
    }
  });
});

describe("kill -9 under load, then a restart on the same database", () => {
  let s: Awaited<ReturnType<typeof dedicated>> | undefined;
  let restarted: RunningServer | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await restarted?.stop().catch(() => undefined);
    await s?.server.stop().catch(() => undefined);
    await drop?.();
  });

  it("committed usage survives, and the killed requests' quota reservations are released by the sweeper", async () => {
    const fresh = await freshDatabase();
    drop = fresh.drop;
    // Short request deadline: reservations expire ~14 s after they were taken; the sweeper runs every second. Quota
    // leases off: this is the database reservations' test (every 200 billed before it is sent); a killed instance's
    // quota leases are tested in quota-leases.test.ts.
    const env: Env = {
      PARETO_REQUEST_TIMEOUT_MS: "4000",
      PARETO_RESERVATION_SWEEP_MS: "1000",
      NEXTAUTH_SECRET: "kill-9-test-secret-0123456789abcdef",
      PARETO_QUOTA_LEASES: "0",
    };
    s = await dedicated(env, { url: fresh.url, dataDir: fresh.dataDir });
    const base = s.server.url;
    const admin = await adminJar(base, ADMIN.email, ADMIN.password);
    // A key with its own monthly cap, so each request reserves against two subjects (user and key).
    const { user, key } = await enterpriseUser(base, admin, { monthly_requests: 100_000 });
    const direct = new DirectDb(fresh.url);
    try {
      const committed: string[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await vad(base, key);
        expect(r.status).toBe(200);
        committed.push(r.headers.get("x-request-id")!);
      }
      const countOf = async (ids: string[]) =>
        Number((await direct.query<{ n: number }>(`SELECT COUNT(*) AS n FROM "UsageEvent" WHERE "userId" = $1`, [user.id]))[0].n) >= ids.length;
      expect(await waitFor(() => countOf(committed), (ok) => ok, 30_000)).toBe(true);

      const load = Array.from({ length: 12 }, () => outcome(ocr(base, key)));
      const open = await waitFor(
        async () => Number((await direct.query<{ n: number }>(`SELECT COUNT(*) AS n FROM "QuotaReservation"`))[0].n),
        (n) => n >= 2,
        30_000,
      );
      expect(open).toBeGreaterThanOrEqual(2);
      const next = childPids(s.server.proc.pid!);
      expect(next.length).toBe(1);
      process.kill(next[0], "SIGKILL");
      process.kill(s.server.proc.pid!, "SIGKILL");
      const results = await Promise.all(load);
      await waitFor(async () => alive(next[0]), (a) => !a);
      const ok = results.filter((o) => responded(o) && o.status === 200).length;

      type Counter = { subject: string; reservedRequests: number; reservedComputeMs: number; usedRequests: number };
      const counters = () => direct.query<Counter>(`SELECT "subject", "reservedRequests", "reservedComputeMs", "usedRequests" FROM "QuotaCounter" WHERE "userId" = $1`, [user.id]);
      const leaked = await counters();
      expect(leaked).toHaveLength(2);
      expect(leaked.every((c) => Number(c.reservedRequests) > 0)).toBe(true);

      restarted = await startServer({ ...BASE_ENV, ...env, DATABASE_URL: fresh.url }, { dataDir: fresh.dataDir });
      expect((await vad(restarted.url, key)).status).toBe(200); // starts the sweeper
      const after = await waitFor(counters, (cs) => cs.every((c) => Number(c.reservedRequests) === 0 && Number(c.reservedComputeMs) === 0), 90_000);
      for (const c of after) {
        expect(Number(c.reservedRequests), c.subject).toBe(0);
        expect(Number(c.reservedComputeMs), c.subject).toBe(0);
        // Every request answered 200 was billed before its response: 5 committed + the OK ones under load + 1 after.
        expect(Number(c.usedRequests), c.subject).toBeGreaterThanOrEqual(5 + ok + 1);
      }
      expect(Number((await direct.query<{ n: number }>(`SELECT COUNT(*) AS n FROM "QuotaReservation"`))[0].n)).toBe(0);
      const kept = await direct.query<{ requestId: string }>(`SELECT "requestId" FROM "UsageEvent" WHERE "userId" = $1`, [user.id]);
      const have = new Set(kept.map((r) => r.requestId));
      expect(committed.filter((id) => !have.has(id))).toEqual([]);
      expect(restarted.logs()).toMatch(/released stale quota reservations/);
    } finally {
      await direct.close();
    }
  });
});
