/**
 * Issue 12: with several instances, each caching verified keys, a change made on one instance reaches the others —
 * through Redis pub/sub within moments, or without Redis within the 1 s TTL — and a message an instance missed
 * (its Redis link was down) never keeps a revoked key alive once it is back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminJar, createKey, newUser, waitFor, type TestUser } from "../support/api";
import { request, type CookieJar } from "../support/http";
import { pgDatabase, pgReachable, PG_BASE_URL, REDIS_BASE_URL, redisDatabase, redisReachable } from "../support/infra";
import { channelUp, keyCacheHits, callWithKey } from "../support/key-cache";
import { startPair, type Env, type RunningServer } from "../support/server";
import { TcpProxy } from "../support/tcp-proxy";

const pg = await pgReachable();
const redis = pg && (await redisReachable());
if (!pg) console.warn(`key-cache-scale-out: skipped — needs PostgreSQL (${PG_BASE_URL})`);
else if (!redis) console.warn(`key-cache-scale-out: the Redis half is skipped — needs Redis (${REDIS_BASE_URL})`);

const ADMIN = { email: "cache-scale-admin@example.com", password: "cache-scale-admin-password" };
const TOKEN = "key-cache-scale-metrics-token";

function baseEnv(databaseUrl: string): Env {
  return {
    DATABASE_URL: databaseUrl,
    NEXTAUTH_SECRET: "key-cache-shared-secret-0123456789abcdef",
    PARETO_ADMIN_EMAIL: ADMIN.email,
    PARETO_ADMIN_PASSWORD: ADMIN.password,
    PARETO_METRICS_TOKEN: TOKEN,
    PARETO_UNAUTHENTICATED_REQUESTS_PER_MINUTE: "100000",
    PARETO_SIGNUP_RATE_LIMIT: "0",
  };
}

/** A request with the key is a cache hit on `s` (retried: without Redis an entry lives only 1 s). */
async function servedFromCache(s: RunningServer, key: string): Promise<boolean> {
  return waitFor(
    async () => {
      const before = await keyCacheHits(s.url, TOKEN);
      expect((await callWithKey(s.url, key)).status).toBe(200);
      return (await keyCacheHits(s.url, TOKEN)) > before;
    },
    Boolean,
    10_000,
  );
}

/** A key of a new user, made on A, in use on B and served there from B's cache. */
async function cachedOnB(a: RunningServer, b: RunningServer): Promise<{ u: TestUser; id: string; key: string }> {
  const u = await newUser(a.url, "scale");
  const k = await createKey(a.url, u);
  expect((await callWithKey(b.url, k.key)).status, "a key made on A works on B at once").toBe(200);
  expect(await servedFromCache(b, k.key), "B serves the key from its cache").toBe(true);
  return { u, ...k };
}

/** Until the answer on B is not 200: generous, where the requirement is within 1 s (no timed assertion). */
const refusedOn = (s: RunningServer, key: string) => waitFor(() => callWithKey(s.url, key), (r) => r.status !== 200, 15_000);

describe.skipIf(!redis)("key cache across two instances with PostgreSQL and Redis (B reaches Redis through a proxy)", () => {
  let db: Awaited<ReturnType<typeof pgDatabase>>;
  let cache: Awaited<ReturnType<typeof redisDatabase>>;
  let proxy: TcpProxy;
  let a: RunningServer;
  let b: RunningServer;
  let admin: CookieJar;

  beforeAll(async () => {
    db = await pgDatabase();
    cache = await redisDatabase();
    const target = new URL(cache.url);
    proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    const viaProxy = new URL(cache.url);
    viaProxy.port = String(await proxy.start());
    [a, b] = await startPair({ ...baseEnv(db.url), REDIS_URL: cache.url }, [{}, { REDIS_URL: viaProxy.toString() }]);
    admin = await adminJar(a.url, ADMIN.email, ADMIN.password);
    for (const s of [a, b]) expect(await waitFor(() => channelUp(s.url, TOKEN), Boolean, 30_000), s.logs()).toBe(true);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await proxy?.cut();
    await db?.drop();
    await cache?.close();
  });

  it("a key revoked on A is refused on A at once and on B within moments", async () => {
    const k = await cachedOnB(a, b);
    expect((await request(a.url, `/api/v1/keys/${k.id}`, { method: "DELETE", jar: k.u.jar })).status).toBe(200);
    expect(await callWithKey(a.url, k.key)).toMatchObject({ status: 401, code: "revoked_api_key" });
    expect(await refusedOn(b, k.key)).toMatchObject({ status: 401, code: "revoked_api_key" });
  });

  it("a key rotated on A: the old one is refused on B, the new one works there", async () => {
    const k = await cachedOnB(a, b);
    const rotated = await request(a.url, `/api/v1/keys/${k.id}/rotate`, { method: "POST", jar: k.u.jar });
    expect(rotated.status).toBe(201);
    expect(await refusedOn(b, k.key)).toMatchObject({ status: 401, code: "revoked_api_key" });
    expect((await callWithKey(b.url, ((await rotated.json()) as { key: string }).key)).status).toBe(200);
  });

  it("a user disabled on A is refused on B", async () => {
    const k = await cachedOnB(a, b);
    expect((await request(a.url, `/api/v1/admin/users/${k.u.id}`, { method: "PATCH", jar: admin, json: { disabled: true } })).status).toBe(200);
    expect(await refusedOn(b, k.key)).toMatchObject({ status: 403, code: "account_disabled" });
  });

  it("a plan's limits edited on A apply on B", async () => {
    const k = await cachedOnB(a, b);
    const plans = ((await (await request(a.url, "/api/v1/admin/plans", { jar: admin })).json()) as { data: { id: string; name: string; requests_per_minute: number }[] }).data;
    const free = plans.find((p) => p.name === "Free")!;
    expect((await callWithKey(b.url, k.key)).rpm).toBe(free.requests_per_minute);
    const edited = free.requests_per_minute + 11;
    expect((await request(a.url, `/api/v1/admin/plans/${free.id}`, { method: "PATCH", jar: admin, json: { requests_per_minute: edited } })).status).toBe(200);
    const seen = await waitFor(() => callWithKey(b.url, k.key), (r) => r.rpm === edited, 15_000);
    expect(seen.rpm).toBe(edited);
  });

  it("a revocation B missed while its Redis link was down does not survive B's reconnection", async () => {
    const k = await cachedOnB(a, b);
    await proxy.cut();
    expect(await waitFor(() => channelUp(b.url, TOKEN), (up) => !up, 15_000), "B noticed the lost channel").toBe(false);
    // Published while B is not listening: B never receives this message.
    expect((await request(a.url, `/api/v1/keys/${k.id}`, { method: "DELETE", jar: k.u.jar })).status).toBe(200);
    await proxy.start();
    expect(await waitFor(() => channelUp(b.url, TOKEN), Boolean, 30_000), b.logs()).toBe(true);
    // B's entry predates its new subscription: it lives 1 s, not 60 s.
    expect(await refusedOn(b, k.key)).toMatchObject({ status: 401, code: "revoked_api_key" });
  });
});

describe.skipIf(!pg)("key cache across two instances on PostgreSQL without Redis (1 s TTL)", () => {
  let db: Awaited<ReturnType<typeof pgDatabase>>;
  let a: RunningServer;
  let b: RunningServer;
  let admin: CookieJar;

  beforeAll(async () => {
    db = await pgDatabase();
    [a, b] = await startPair(baseEnv(db.url));
    admin = await adminJar(a.url, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.drop();
  });

  it("no channel: both instances say so", async () => {
    for (const s of [a, b]) expect(await channelUp(s.url, TOKEN)).toBe(false);
  });

  it("a key revoked on A is refused on B within the short TTL", async () => {
    const k = await cachedOnB(a, b);
    expect((await request(a.url, `/api/v1/keys/${k.id}`, { method: "DELETE", jar: k.u.jar })).status).toBe(200);
    expect(await callWithKey(a.url, k.key)).toMatchObject({ status: 401, code: "revoked_api_key" });
    expect(await refusedOn(b, k.key)).toMatchObject({ status: 401, code: "revoked_api_key" });
  });

  it("a user moved to another plan on A gets its limits on B", async () => {
    const k = await cachedOnB(a, b);
    const plans = ((await (await request(a.url, "/api/v1/admin/plans", { jar: admin })).json()) as { data: { name: string; requests_per_minute: number }[] }).data;
    const pro = plans.find((p) => p.name === "Pro")!.requests_per_minute;
    expect((await request(a.url, `/api/v1/admin/users/${k.u.id}`, { method: "PATCH", jar: admin, json: { plan: "Pro" } })).status).toBe(200);
    const seen = await waitFor(() => callWithKey(b.url, k.key), (r) => r.rpm === pro, 15_000);
    expect(seen.rpm).toBe(pro);
  });
});
