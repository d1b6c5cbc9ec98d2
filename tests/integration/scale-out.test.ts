/**
 * Two instances of Pareto behind one PostgreSQL database and one Redis: limits are one limit across instances (not
 * N×), every request is metered exactly once, and a session issued by one instance is honoured by the other.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request, signIn, type CookieJar } from "../support/http";
import { bearer, createKey, form, histogram, newUser, type TestUser, tinyWav, waitFor } from "../support/api";
import { DirectDb, pgDatabase, pgReachable, PG_BASE_URL, REDIS_BASE_URL, redisDatabase, redisReachable } from "../support/infra";
import { matmulAddSoftmax, matmulAddSoftmaxReference } from "../support/onnx-builder";
import { ROOT, startPair, type RunningServer } from "../support/server";

const reachable = (await pgReachable()) && (await redisReachable());
if (!reachable) console.warn(`scale-out: skipped — needs PostgreSQL (${PG_BASE_URL}) and Redis (${REDIS_BASE_URL})`);

type Sent = { via: "A" | "B"; status: number; code: string | null; requestId: string };

describe.skipIf(!reachable)("scale-out: two instances, one PostgreSQL, one Redis", () => {
  let db: Awaited<ReturnType<typeof pgDatabase>>;
  let cache: Awaited<ReturnType<typeof redisDatabase>>;
  let a: RunningServer;
  let b: RunningServer;
  let admin: CookieJar;
  let direct: DirectDb;

  beforeAll(async () => {
    db = await pgDatabase();
    cache = await redisDatabase();
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: cache.url,
      NEXTAUTH_SECRET: "scale-out-shared-secret-0123456789abcdef",
      // The same environment file for every instance: the first to start creates this admin, the other finds it.
      PARETO_METRICS_TOKEN: "scale-out-metrics-token",
      PARETO_ADMIN_EMAIL: "scale-admin@example.com",
      PARETO_ADMIN_PASSWORD: "scale-admin-password",
      PARETO_AUTO_BENCHMARK: "0",
      // Each instance queues what it admits; the limits under test are the plan's and the key's, not the queue.
      PARETO_QUEUE_MAX: "1000",
      // …nor the decode budget: 150 admitted at once may all land on one instance, and each holds a 16 MB share.
      PARETO_INFLIGHT_DECODE_MB: "16384",
    };
    // Started together on an empty database: migrations serialise on PostgreSQL's advisory lock, and seeding the
    // plans and the admin tolerates the other instance doing the same at the same moment.
    [a, b] = await startPair(env);
    direct = new DirectDb(db.url);
    const s = await signIn(a.url, "scale-admin@example.com", "scale-admin-password");
    expect(s.ok).toBe(true);
    admin = s.jar;
    const plans = (await (await request(a.url, "/api/v1/admin/plans", { jar: admin })).json()) as { data: { id: string; name: string }[] };
    const ent = plans.data.find((p) => p.name === "Enterprise")!;
    const lift = { requests_per_minute: 1_000_000, concurrent_requests: 10_000, monthly_requests: 2_000_000_000 };
    expect((await request(a.url, `/api/v1/admin/plans/${ent.id}`, { method: "PATCH", jar: admin, json: lift })).status).toBe(200);
  });
  afterAll(async () => {
    await direct?.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.drop();
    await cache?.close();
  });

  /** The distinct warnings and errors both instances logged, for failure messages. */
  function warnings(): string {
    const lines = `${a.logs()}\n${b.logs()}`.split("\n").filter((l) => /"level":"(warn|error)"/.test(l));
    return [...new Set(lines.map((l) => l.replace(/"t":"[^"]+",|"requestId":"[^"]+",/g, "").slice(0, 300)))].slice(0, 10).join("\n");
  }

  async function enterpriseUser(): Promise<TestUser> {
    const u = await newUser(a.url, "scale");
    expect((await request(a.url, `/api/v1/admin/users/${u.id}`, { method: "PATCH", jar: admin, json: { plan: "Enterprise" } })).status).toBe(200);
    return u;
  }

  /** `n` concurrent VAD requests, alternating between the two instances. */
  async function burst(key: string, n: number): Promise<Sent[]> {
    const wav = tinyWav(0.25);
    return Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const via = i % 2 === 0 ? "A" : "B";
        const res = await request(via === "A" ? a.url : b.url, "/api/v1/vad", { method: "POST", headers: bearer(key), body: form("audio", wav, "a.wav") });
        const body = (await res.json()) as { error?: { code: string } };
        return { via, status: res.status, code: body.error?.code ?? null, requestId: res.headers.get("x-request-id")! } as Sent;
      }),
    );
  }

  async function usageEvents(keyId: string, expected: number) {
    return waitFor(
      () => direct.query<{ requestId: string; status: number }>(`SELECT "requestId", "status" FROM "UsageEvent" WHERE "apiKeyId" = $1`, [keyId]),
      (rows) => rows.length >= expected,
      60_000,
    );
  }

  it("both instances migrated one database once, and both are ready with Redis", async () => {
    const migrations = fs.readdirSync(path.join(ROOT, "prisma/postgres/migrations"), { withFileTypes: true }).filter((d) => d.isDirectory()).length;
    expect(await direct.query(`SELECT name FROM "_pareto_migrations"`)).toHaveLength(migrations);
    expect(await direct.query(`SELECT name FROM "Plan"`)).toHaveLength(3);
    expect(await direct.query(`SELECT id FROM "User" WHERE email = 'scale-admin@example.com' AND role = 'ADMIN'`)).toHaveLength(1);
    for (const s of [a, b]) {
      // The checks are for operators (the metrics token); anyone else gets the status alone.
      const ready = (await (await request(s.url, "/api/ready", { headers: { authorization: "Bearer scale-out-metrics-token" } })).json()) as { status: string; checks: { database: { ok: boolean }; redis: { configured: boolean; ok: boolean } } };
      expect(ready.status).toBe("ready");
      expect(ready.checks.redis).toEqual({ configured: true, ok: true });
    }
  });

  it("a session cookie issued by instance A works on instance B", async () => {
    const u = await newUser(a.url, "roam");
    const keys = await request(b.url, "/api/v1/keys", { jar: u.jar });
    expect(keys.status).toBe(200);
    const created = await request(b.url, "/api/v1/keys", { method: "POST", jar: u.jar, json: { name: "made on B" } });
    expect(created.status).toBe(201);
    const session = (await (await request(b.url, "/api/auth/session", { jar: u.jar })).json()) as { user?: { email: string } };
    expect(session.user?.email).toBe(u.email);
    const list = (await (await request(a.url, "/api/v1/keys", { jar: u.jar })).json()) as { data: { name: string }[] };
    expect(list.data.map((k) => k.name)).toContain("made on B");
  });

  it("requests_per_minute N: of 400 concurrent requests across both instances exactly N succeed, the rest get 429", async () => {
    const N = 150;
    const u = await enterpriseUser();
    const { id, key } = await createKey(a.url, u, { requests_per_minute: N });
    // The window is a fixed minute: start early in one so the whole burst falls inside it.
    const into = Date.now() % 60_000;
    if (into > 20_000) await new Promise((r) => setTimeout(r, 60_000 - into + 500));
    const sent = await burst(key, 400);
    const ok = sent.filter((s) => s.status === 200);
    const limited = sent.filter((s) => s.status === 429);
    expect(ok.length, `${histogram(sent)}\n${warnings()}`).toBe(N);
    expect(limited.length).toBe(400 - N);
    expect(limited.every((s) => s.code === "rate_limited")).toBe(true);
    // Each instance received 200 requests: limits enforced per instance would have let 2 × N = 300 through. (How the
    // N split between them depends on which instance is quicker, down to all on one.)
    expect(sent.filter((s) => s.via === "A")).toHaveLength(200);
    expect(sent.filter((s) => s.via === "B")).toHaveLength(200);

    const events = await usageEvents(id, 400);
    expect(events).toHaveLength(400);
    expect(new Set(events.map((e) => e.requestId))).toEqual(new Set(sent.map((s) => s.requestId)));
    expect(events.filter((e) => Number(e.status) === 200)).toHaveLength(N);
  });

  it("monthly_requests K: of 400 concurrent requests across both instances exactly K succeed, the rest get 402", async () => {
    const K = 120;
    const u = await enterpriseUser();
    const { id, key } = await createKey(a.url, u, { monthly_requests: K });
    const sent = await burst(key, 400);
    expect(sent.filter((s) => s.status === 200).length, `${histogram(sent)}\n${warnings()}`).toBe(K);
    // Refused once used up (402), or while the requests in flight hold the rest (429 quota_held: it may yet free up).
    const refused = sent.filter((s) => s.status !== 200);
    expect(refused).toHaveLength(400 - K);
    expect(refused.every((s) => (s.status === 402 && s.code === "quota_exceeded") || (s.status === 429 && s.code === "quota_held")), histogram(sent)).toBe(true);

    const events = await usageEvents(id, 400);
    expect(events).toHaveLength(400);
    expect(new Set(events.map((e) => e.requestId))).toEqual(new Set(sent.map((s) => s.requestId)));
    const counters = await direct.query<{ subject: string; usedRequests: number; reservedRequests: number }>(
      `SELECT "subject", "usedRequests", "reservedRequests" FROM "QuotaCounter" WHERE "userId" = $1`,
      [u.id],
    );
    expect(counters.find((c) => c.subject === `key:${id}`)).toMatchObject({ usedRequests: K, reservedRequests: 0 });
    expect(counters.find((c) => c.subject === `user:${u.id}`)).toMatchObject({ usedRequests: K, reservedRequests: 0 });
  });

  it("a model uploaded through instance A is served by instance B within 5 s (bytes from the database), and so are its traffic changes and its deletion", async () => {
    const u = await enterpriseUser();
    const { key } = await createKey(a.url, u);
    const opts = { inputDim: 5, outputDim: 4 };
    const upload = (fields: Record<string, string>, seed: number, to = "/api/v1/admin/models") => {
      const fd = new FormData();
      for (const [k, v] of Object.entries(fields)) fd.set(k, v);
      fd.set("file", new Blob([new Uint8Array(matmulAddSoftmax({ ...opts, seed }))]), "m.onnx");
      return request(a.url, to, { method: "POST", jar: admin, body: fd });
    };
    const x = Float32Array.from({ length: opts.inputDim }, (_, i) => i / 10 - 0.2);
    const infer = (base: string) =>
      request(base, "/v2/models/shared-dense/infer", {
        method: "POST",
        headers: { "content-type": "application/json", ...bearer(key) },
        body: JSON.stringify({ inputs: [{ name: "X", datatype: "FP32", shape: [1, opts.inputDim], data: [...x] }] }),
      });
    const created = await upload({ id: "shared-dense", task: "tensor" }, 11);
    expect(created.status, await created.clone().text()).toBe(201);
    const t0 = Date.now();
    const onB = await waitFor(() => infer(b.url), (r) => r.status === 200, 5_000);
    expect(Date.now() - t0).toBeLessThan(5_000);
    const want = matmulAddSoftmaxReference({ ...opts, seed: 11 }, x, 1);
    ((await onB.json()) as { outputs: { data: number[] }[] }).outputs[0].data.forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
    // B never received the file: it fetched the bytes from PostgreSQL into its own cache, verified by hash.
    const sha = ((await (await request(a.url, "/api/v1/admin/models/shared-dense", { jar: admin })).json()) as { versions: { files: { sha256: string }[] }[] }).versions[0].files[0].sha256;
    expect(fs.existsSync(path.join(b.dataDir, "models", sha))).toBe(true);

    expect((await upload({ version: "2" }, 12, "/api/v1/admin/models/shared-dense/versions")).status).toBe(201);
    expect((await request(a.url, "/api/v1/admin/models/shared-dense", { method: "PATCH", jar: admin, json: { traffic: { "2": 100 } } })).status).toBe(200);
    await waitFor(() => infer(b.url), (r) => r.headers.get("x-pareto-model-version") === "2", 5_000);
    expect((await request(a.url, "/api/v1/admin/models/shared-dense", { method: "PATCH", jar: admin, json: { traffic: { "1": 100 } } })).status).toBe(200);
    await waitFor(() => infer(b.url), (r) => r.headers.get("x-pareto-model-version") === "1", 5_000);
    expect((await request(a.url, "/api/v1/admin/models/shared-dense", { method: "DELETE", jar: admin })).status).toBe(200);
    await waitFor(() => infer(b.url), (r) => r.status === 404, 5_000);
  }, 60_000);
});
