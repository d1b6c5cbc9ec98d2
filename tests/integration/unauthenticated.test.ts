/**
 * Issue 11 item 4: requests without a valid key are counted in metrics (never stored as usage events) and limited
 * per client address; raw usage events past the retention window are rolled up per day without changing a total.
 * A dedicated server, so its small per-address limit and short retention disturb no other file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminJar, bearer, createKey, form, newUser, tinyWav, waitFor, type TestUser } from "../support/api";
import { request, type CookieJar } from "../support/http";
import { DirectDb } from "../support/infra";
import { freshDatabase, startServer, type RunningServer } from "../support/server";

const ADMIN = { email: "unauth-admin@example.com", password: "unauth-admin-password" };
const TOKEN = "unauth-metrics-token-0123456789";
const LIMIT = 12;
const RETENTION_DAYS = 30;
const DAY = 86_400_000;
const V5 = { model: "silero-vad-v5" };

function env(): Record<string, string> {
  return {
    PARETO_ADMIN_EMAIL: ADMIN.email,
    PARETO_ADMIN_PASSWORD: ADMIN.password,
    PARETO_METRICS_TOKEN: TOKEN,
    PARETO_UNAUTHENTICATED_REQUESTS_PER_MINUTE: String(LIMIT),
    PARETO_USAGE_RETENTION_DAYS: String(RETENTION_DAYS),
  };
}

describe("unauthenticated traffic and usage retention", () => {
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  let server: RunningServer;
  let base: string;
  let direct: DirectDb;
  let admin: CookieJar;
  let user: TestUser;
  let key: { id: string; key: string };

  beforeAll(async () => {
    fresh = await freshDatabase();
    server = await startServer({ ...env(), DATABASE_URL: fresh.url }, { dataDir: fresh.dataDir });
    base = server.url;
    direct = new DirectDb(fresh.url);
    admin = await adminJar(base, ADMIN.email, ADMIN.password);
    user = await newUser(base, "unauth");
    key = await createKey(base, user);
  });
  afterAll(async () => {
    await server?.stop();
    await direct?.close();
    await fresh?.drop();
  });

  // Prisma keeps SQLite date-times as ISO text with an offset; PostgreSQL takes a Date.
  const at = (d: Date) => (direct.provider === "sqlite" ? d.toISOString().replace("Z", "+00:00") : d);

  const metric = async (name: string) => {
    const text = await (await request(base, "/metrics", { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    return text.split("\n").filter((l) => l.startsWith(`${name}{`)).map((l) => ({ labels: l.slice(l.indexOf("{") + 1, l.lastIndexOf("}")), value: Number(l.split(" ").pop()) }));
  };

  it("a flood without a valid key writes no usage rows, is counted by route and reason, and gets 429 past the per-address limit", async () => {
    const revoked = await createKey(base, user, { name: "revoked" });
    expect((await request(base, `/api/v1/keys/${revoked.id}`, { method: "DELETE", jar: user.jar })).status).toBe(200);
    const expired = await createKey(base, user, { name: "expired" });
    await direct.query(`UPDATE "ApiKey" SET "expiresAt" = $1 WHERE "id" = $2 RETURNING "id"`, [at(new Date(Date.now() - DAY)), expired.id]);
    const [{ n: before }] = await direct.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM "UsageEvent"`);

    const vad = (headers: Record<string, string>) => request(base, "/api/v1/vad", { method: "POST", headers, body: form("audio", tinyWav(0.2), "a.wav") });
    const senders: (() => Promise<Response>)[] = [
      () => vad({}),
      () => vad(bearer("pk_thisKeyDoesNotExist0000000000000000")),
      () => vad(bearer(revoked.key)),
      () => vad(bearer(expired.key)),
      () => request(base, "/api/v1/usage", { headers: { authorization: "Basic abc" } }),
      () => request(base, "/v2/models/silero-vad-v5/infer", { method: "POST", headers: bearer("pk_nope"), json: { inputs: [] } }),
    ];
    const statuses: number[] = [];
    const ids: string[] = [];
    let last: Response | undefined;
    for (let i = 0; i < LIMIT + 6; i++) {
      // A spoofed X-Forwarded-For on every request: no trusted proxy is configured, so it changes nothing.
      last = await senders[i % senders.length]();
      statuses.push(last.status);
      ids.push(last.headers.get("x-request-id")!);
      await last.arrayBuffer();
    }
    expect(statuses.slice(0, LIMIT).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(LIMIT)).toEqual(Array(6).fill(429));

    const spoofed = await request(base, "/api/v1/vad", { method: "POST", headers: { "x-forwarded-for": "203.0.113.7", "x-pareto-peer": "x 203.0.113.8" }, body: form("audio", tinyWav(0.2), "a.wav") });
    expect(spoofed.status).toBe(429);
    expect(Number(spoofed.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(((await spoofed.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    ids.push(spoofed.headers.get("x-request-id")!);

    // A valid key from the same address is still served, and its event is written.
    const ok = await vad(bearer(key.key));
    expect(ok.status).toBe(200);
    const okId = ok.headers.get("x-request-id")!;
    await waitFor(() => direct.query(`SELECT 1 FROM "UsageEvent" WHERE "requestId" = $1`, [okId]), (r) => r.length === 1);

    const stored = await direct.query(`SELECT "requestId" FROM "UsageEvent" WHERE "requestId" IN (${ids.map((_, i) => `$${i + 1}`).join(",")})`, ids);
    expect(stored).toEqual([]);
    const [{ n: after }] = await direct.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM "UsageEvent"`);
    expect(Number(after) - Number(before)).toBe(1);

    const counted = await metric("pareto_unauthenticated_requests_total");
    expect(counted.reduce((s, c) => s + c.value, 0)).toBe(ids.length);
    const reasons = new Set(counted.map((c) => /reason="([^"]+)"/.exec(c.labels)![1]));
    for (const r of ["missing_api_key", "invalid_api_key", "revoked_api_key", "expired_api_key", "rate_limited"]) expect(reasons).toContain(r);
    const routes = new Set(counted.map((c) => /route="([^"]+)"/.exec(c.labels)![1]));
    for (const r of ["/api/v1/vad", "/api/v1/usage", "/v2/models/{name}/infer"]) expect(routes).toContain(r);
  });

  it("events past the retention window are rolled up and deleted; usage and admin usage totals are unchanged", async () => {
    const u = await newUser(base, "retain");
    const k1 = await createKey(base, u, { name: "first" });
    const k2 = await createKey(base, u, { name: "second" });
    const send = (k: string, body: FormData) => request(base, "/api/v1/vad", { method: "POST", headers: bearer(k), body });
    const ids: string[] = [];
    for (const [k, body] of [
      [k1.key, form("audio", tinyWav(0.3), "a.wav", V5)],
      [k1.key, form("audio", tinyWav(0.5), "a.wav", V5)],
      [k2.key, form("audio", tinyWav(0.4), "a.wav", V5)],
      [k2.key, form("audio", Buffer.from("not a wav"), "a.wav", V5)],
      [k1.key, form("audio", tinyWav(0.3), "a.wav", { model: "silero-vad-v4" })],
    ] as const) {
      const r = await send(k, body);
      ids.push(r.headers.get("x-request-id")!);
      await r.arrayBuffer();
    }
    const inList = ids.map((_, i) => `$${i + 1}`).join(",");
    await waitFor(() => direct.query(`SELECT 1 FROM "UsageEvent" WHERE "requestId" IN (${inList})`, ids), (r) => r.length === ids.length);
    // Move them back in time: three to 40 days ago, two to 45 (past the 30-day window).
    const now = Date.now();
    for (const [i, id] of ids.entries()) await direct.query(`UPDATE "UsageEvent" SET "createdAt" = $1 WHERE "requestId" = $2 RETURNING "id"`, [at(new Date(now - (i < 3 ? 40 : 45) * DAY)), id]);
    // One recent request stays raw.
    expect((await send(k1.key, form("audio", tinyWav(0.3), "a.wav", V5))).status).toBe(200);

    // The user's own report counts its own calls too, so it reads a range that ends before today; the admin report
    // (not metered) also reads up to now, filtered to one model so that raw and rolled-up events are summed together.
    const old = `from=${new Date(now - 100 * DAY).toISOString()}&to=${new Date(now - 20 * DAY).toISOString()}`;
    const full = `from=${new Date(now - 100 * DAY).toISOString()}&to=${new Date(now + DAY).toISOString()}`;
    const snapshot = async () => {
      const get = async (path: string, jar: CookieJar) => (await (await request(base, path, { jar })).json()) as Record<string, unknown>;
      const pick = (o: Record<string, unknown>, fields: string[]) => Object.fromEntries(fields.map((f) => [f, o[f]]));
      return {
        mine: pick(await get(`/api/v1/usage?${old}`, u.jar), ["totals", "by_day", "by_model", "by_key", "errors_by_code"]),
        keyOnly: pick(await get(`/api/v1/usage?${old}&key=${k2.id}`, u.jar), ["totals", "by_day", "by_model", "errors_by_code"]),
        all: pick(await get(`/api/v1/admin/usage?${old}&user=${u.id}`, admin), ["totals", "by_day", "by_model", "top_users", "top_keys"]),
        v5: pick(await get(`/api/v1/admin/usage?${full}&user=${u.id}&model=silero-vad-v5`, admin), ["totals", "by_day", "by_model", "top_keys"]),
      };
    };
    await waitFor(() => direct.query(`SELECT 1 FROM "UsageEvent" WHERE "userId" = $1`, [u.id]), (r) => r.length === ids.length + 1);
    const before = await snapshot();
    expect((before.mine.totals as { requests: number }).requests).toBe(5);
    expect((before.v5.totals as { requests: number }).requests).toBeGreaterThanOrEqual(4);

    // Retention runs at start: restart the server on the same database.
    await server.stop();
    server = await startServer({ ...env(), DATABASE_URL: fresh.url }, { dataDir: fresh.dataDir });
    base = server.url;
    admin = await adminJar(base, ADMIN.email, ADMIN.password);
    const { signIn } = await import("../support/http");
    u.jar = (await signIn(base, u.email, "test-password-1")).jar;

    const left = await waitFor(() => direct.query(`SELECT "requestId" FROM "UsageEvent" WHERE "requestId" IN (${inList})`, ids), (r) => r.length === 0, 30_000);
    expect(left).toEqual([]);
    const rollups = await direct.query<{ requests: number }>(`SELECT "requests" FROM "UsageRollup" WHERE "userId" = $1`, [u.id]);
    expect(rollups.reduce((s, r) => s + Number(r.requests), 0)).toBe(5);
    expect(await snapshot()).toEqual(before);
  });
});

describe("behind a trusted proxy", () => {
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  let server: RunningServer;

  beforeAll(async () => {
    fresh = await freshDatabase();
    // The test client connects from 127.0.0.1: declared a proxy, its X-Forwarded-For names the client.
    server = await startServer({ ...env(), PARETO_TRUSTED_PROXIES: "127.0.0.0/8,::1", DATABASE_URL: fresh.url }, { dataDir: fresh.dataDir });
  });
  afterAll(async () => {
    await server?.stop();
    await fresh?.drop();
  });

  const missingKey = (xff: string) => request(server.url, "/api/v1/usage", { headers: { "x-forwarded-for": xff } });

  it("each client behind the proxy has its own limit; a client cannot escape it by prepending addresses", async () => {
    const a: number[] = [];
    for (let i = 0; i < LIMIT + 2; i++) a.push((await missingKey("198.51.100.1")).status);
    expect(a.slice(0, LIMIT).every((s) => s === 401)).toBe(true);
    expect(a.slice(LIMIT)).toEqual([429, 429]);
    // Another client through the same proxy is not limited by the first one's failures.
    expect((await missingKey("198.51.100.2")).status).toBe(401);
    // The first client forging an earlier hop is still the address the proxy appended.
    expect((await missingKey("203.0.113.9, 198.51.100.1")).status).toBe(429);
  });
});
