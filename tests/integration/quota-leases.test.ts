/**
 * Per-instance quota leases (lib/metering/quota-leases.ts): a large quota is served from a lease taken from the
 * database counter, not one reservation row per request; the use is on the counter within the write-back delay (one
 * usage event per request, the counter equal to the successes); a graceful stop writes the use back and returns the
 * lease; two instances on a quota that runs out never pass it and refuse only with 402 or 429 `quota_held`; a killed
 * instance's lease is reclaimed by the sweeper within a lease and a sweep.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request, signIn, type CookieJar } from "../support/http";
import { bearer, createKey, form, histogram, newUser, type TestUser, tinyWav, waitFor } from "../support/api";
import { alive, childPids, DirectDb, pgDatabase, pgReachable, PG_BASE_URL, REDIS_BASE_URL, redisDatabase, redisReachable } from "../support/infra";
import { freshDatabase, startPair, startServer, type RunningServer } from "../support/server";

const ADMIN = { email: "lease-admin@example.com", password: "lease-admin-password" };
const TOKEN = "lease-metrics-token-0123456789";
const BASE_ENV = { PARETO_AUTO_BENCHMARK: "0", PARETO_ADMIN_EMAIL: ADMIN.email, PARETO_ADMIN_PASSWORD: ADMIN.password, PARETO_METRICS_TOKEN: TOKEN, PARETO_QUEUE_MAX: "1000", PARETO_INFLIGHT_DECODE_MB: "16384" };

type Sent = { status: number; code: string | null; requestId: string; computeMs: number };

async function vad(base: string, key: string, wav = tinyWav(0.25)): Promise<Sent> {
  const res = await request(base, "/api/v1/vad", { method: "POST", headers: bearer(key), body: form("audio", wav, "a.wav") });
  const body = (await res.json()) as { error?: { code: string } };
  return { status: res.status, code: body.error?.code ?? null, requestId: res.headers.get("x-request-id") ?? "", computeMs: Number(res.headers.get("x-compute-ms") ?? 0) };
}

/** The sum of a Prometheus family's samples whose labels include `labels`. */
async function metric(base: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await request(base, "/metrics", { headers: { authorization: `Bearer ${TOKEN}` } })).text();
  let sum = 0;
  for (const line of text.split("\n")) {
    const m = /^(\w+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    if (Object.entries(labels).every(([k, v]) => (m[2] ?? "").includes(`${k}="${v}"`))) sum += Number(m[3]);
  }
  return sum;
}

async function planUser(base: string, admin: CookieJar, plan: string, keyBody: Record<string, unknown> = {}): Promise<{ user: TestUser; key: string; keyId: string }> {
  const user = await newUser(base, "lease");
  expect((await request(base, `/api/v1/admin/users/${user.id}`, { method: "PATCH", jar: admin, json: { plan } })).status).toBe(200);
  const { key, id } = await createKey(base, user, keyBody);
  return { user, key, keyId: id };
}

type Counter = { usedRequests: number; reservedRequests: number; leasedRequests: number; usedComputeMs: number; reservedComputeMs: number; leasedComputeMs: number };
async function counter(direct: DirectDb, subject: string): Promise<Counter> {
  const [c] = await direct.query<Counter>(
    `SELECT "usedRequests", "reservedRequests", "leasedRequests", "usedComputeMs", "reservedComputeMs", "leasedComputeMs" FROM "QuotaCounter" WHERE "subject" = $1`,
    [subject],
  );
  return Object.fromEntries(Object.entries(c ?? {}).map(([k, v]) => [k, Number(v)])) as Counter;
}
const leaseRows = async (direct: DirectDb, subject: string) => Number((await direct.query<{ n: number }>(`SELECT COUNT(*) AS n FROM "QuotaLease" WHERE "subject" = $1`, [subject]))[0].n);

/** Requests in waves of `width` until `stop()` says so; resolves with every answer. */
async function load(base: string, key: string, width: number, stop: () => boolean, max = 2_000): Promise<(Sent | null)[]> {
  const out: (Sent | null)[] = [];
  while (!stop() && out.length < max) out.push(...(await Promise.all(Array.from({ length: width }, () => vad(base, key).catch(() => null)))));
  return out;
}

describe("one instance: a large quota is served from a lease", () => {
  let server: RunningServer;
  let drop: () => Promise<void>;
  let direct: DirectDb;
  let admin: CookieJar;

  beforeAll(async () => {
    const fresh = await freshDatabase();
    drop = fresh.drop;
    server = await startServer({ ...BASE_ENV, DATABASE_URL: fresh.url }, { dataDir: fresh.dataDir });
    direct = new DirectDb(fresh.url);
    const s = await signIn(server.url, ADMIN.email, ADMIN.password);
    expect(s.ok).toBe(true);
    admin = s.jar;
  });
  afterAll(async () => {
    await direct?.close();
    await server?.stop().catch(() => undefined);
    await drop?.();
  });

  it("no reservation per request, use on the counter once the events are written, and a graceful stop returns the lease", async () => {
    const { user, key } = await planUser(server.url, admin, "Enterprise");
    const subject = `user:${user.id}`;
    const before = { lease: await metric(server.url, "pareto_quota_reservations_total", { via: "lease" }), db: await metric(server.url, "pareto_quota_reservations_total", { via: "database" }) };

    // Load until the lease has been seen held on the counter and in its row (observable to an operator), then a
    // few more waves.
    let seen = false;
    let waves = 0;
    const running = load(server.url, key, 8, () => seen && ++waves > 5);
    const held = await waitFor(
      async () => ({ c: await counter(direct, subject), rows: await leaseRows(direct, subject) }),
      (h) => h.c.leasedRequests > 0 && h.rows === 1,
      60_000,
    );
    seen = true;
    const all = await running;
    expect(held.c.leasedRequests).toBeGreaterThan(0);
    expect(held.rows).toBe(1);
    const ok = all.filter((r): r is Sent => r?.status === 200);
    expect(ok.length, histogram(all.filter((r): r is Sent => r !== null))).toBe(all.length);

    // Every subject reservation was counted against the lease: none went to the database.
    expect((await metric(server.url, "pareto_quota_reservations_total", { via: "lease" })) - before.lease).toBe(ok.length);
    expect((await metric(server.url, "pareto_quota_reservations_total", { via: "database" })) - before.db).toBe(0);
    expect(Number((await direct.query<{ n: number }>(`SELECT COUNT(*) AS n FROM "QuotaReservation" WHERE "counterId" LIKE $1`, [`%${subject}%`]))[0].n)).toBe(0);

    // One usage event per request; once they are written, the counter has every request's use (written first).
    const events = await waitFor(
      () => direct.query<{ requestId: string; computeMs: number }>(`SELECT "requestId", "computeMs" FROM "UsageEvent" WHERE "userId" = $1`, [user.id]),
      (rows) => rows.length >= ok.length,
      60_000,
    );
    expect(events).toHaveLength(ok.length);
    expect(new Set(events.map((e) => e.requestId))).toEqual(new Set(ok.map((r) => r.requestId)));
    const c = await counter(direct, subject);
    expect(c.usedRequests).toBe(ok.length);
    const spent = events.reduce((s, e) => s + Number(e.computeMs), 0);
    expect(Math.abs(c.usedComputeMs - spent), `billed ${c.usedComputeMs} ms, events ${spent} ms`).toBeLessThan(0.01 * ok.length + 0.01);
    expect(c.reservedRequests).toBe(0);

    // A graceful stop in the middle of more load: every answered request billed, the lease returned, no row left.
    let stopping = false;
    const during = load(server.url, key, 4, () => stopping);
    await waitFor(async () => (await counter(direct, subject)).leasedRequests, (n) => n > 0, 30_000);
    stopping = true;
    expect(await server.stop("SIGTERM")).toBe(0);
    const late = (await during).filter((r): r is Sent => r?.status === 200);
    const after = await counter(direct, subject);
    expect(after.leasedRequests).toBe(0);
    expect(after.leasedComputeMs).toBe(0);
    expect(await leaseRows(direct, subject)).toBe(0);
    expect(after.usedRequests).toBe(ok.length + late.length);
    const written = await direct.query(`SELECT "requestId" FROM "UsageEvent" WHERE "userId" = $1 AND "status" = 200`, [user.id]);
    expect(written).toHaveLength(ok.length + late.length);
  });
});

const reachable = (await pgReachable()) && (await redisReachable());
if (!reachable) console.warn(`quota-leases: two-instance tests skipped — need PostgreSQL (${PG_BASE_URL}) and Redis (${REDIS_BASE_URL})`);

/** Lease and sweep of the pair: a killed instance's quota leases are reclaimed within about 4 s. */
const LEASE_MS = 3_000;
const SWEEP_MS = 1_000;

describe.skipIf(!reachable)("two instances, one PostgreSQL, one Redis", () => {
  let db: Awaited<ReturnType<typeof pgDatabase>>;
  let cache: Awaited<ReturnType<typeof redisDatabase>>;
  let a: RunningServer;
  let b: RunningServer;
  let admin: CookieJar;
  let direct: DirectDb;

  beforeAll(async () => {
    db = await pgDatabase();
    cache = await redisDatabase();
    [a, b] = await startPair({
      ...BASE_ENV,
      DATABASE_URL: db.url,
      REDIS_URL: cache.url,
      NEXTAUTH_SECRET: "quota-leases-secret-0123456789abcdef",
      PARETO_INSTANCE_LEASE_MS: String(LEASE_MS),
      PARETO_RESERVATION_SWEEP_MS: String(SWEEP_MS),
    });
    direct = new DirectDb(db.url);
    const s = await signIn(a.url, ADMIN.email, ADMIN.password);
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

  it("a request quota of 600 leased by both, 800 concurrent requests: never more than 600, refusals 402 or 429 quota_held", async () => {
    const Q = 600;
    const { user, key, keyId } = await planUser(a.url, admin, "Enterprise", { monthly_requests: Q });
    const blocks = async () => (await metric(a.url, "pareto_quota_lease_blocks_total", { subject: "key" })) + (await metric(b.url, "pareto_quota_lease_blocks_total", { subject: "key" }));
    const blocksBefore = await blocks();
    const wav = tinyWav(0.25);
    const sent = await Promise.all(
      Array.from({ length: 800 }, (_, i) => request(i % 2 === 0 ? a.url : b.url, "/api/v1/vad", { method: "POST", headers: bearer(key), body: form("audio", wav, "a.wav") })),
    );
    const answers = await Promise.all(
      sent.map(async (res) => ({ status: res.status, code: ((await res.json()) as { error?: { code: string } }).error?.code ?? null, requestId: res.headers.get("x-request-id")! })),
    );
    const ok = answers.filter((s) => s.status === 200);
    // The quota was leased (a block of it held by an instance), not reserved request by request.
    expect((await blocks()) - blocksBefore).toBeGreaterThan(0);
    expect(ok.length, histogram(answers)).toBeLessThanOrEqual(Q);
    expect(ok.length, histogram(answers)).toBeGreaterThan(0);
    for (const r of answers.filter((s) => s.status !== 200)) {
      // Quota refusals, or 800 bodies at once passing the decode budget (503 overloaded: its reservation released).
      const quota = (r.status === 402 && r.code === "quota_exceeded") || (r.status === 429 && r.code === "quota_held");
      expect(quota || (r.status === 503 && r.code === "overloaded"), `${r.status} ${r.code}; ${histogram(answers)}`).toBe(true);
    }
    // One usage event per request; the counters bill exactly the successes (no overspend), nothing left reserved.
    const events = await waitFor(
      () => direct.query<{ requestId: string }>(`SELECT "requestId" FROM "UsageEvent" WHERE "apiKeyId" = $1`, [keyId]),
      (rows) => rows.length >= 800,
      60_000,
    );
    expect(new Set(events.map((e) => e.requestId))).toEqual(new Set(answers.map((s) => s.requestId)));
    for (const subject of [`key:${keyId}`, `user:${user.id}`]) {
      const c = await counter(direct, subject);
      expect(c.usedRequests, subject).toBe(ok.length);
      expect(c.reservedRequests, subject).toBe(0);
    }
    // Idle leases go back by themselves.
    const idle = await waitFor(() => counter(direct, `key:${keyId}`), (c) => c.leasedRequests === 0 && c.leasedComputeMs === 0, 30_000);
    expect(idle.leasedRequests).toBe(0);
    expect(await leaseRows(direct, `key:${keyId}`)).toBe(0);
  });

  it("kill -9 under load: the dead instance's lease is reclaimed by the sweeper within a lease and a sweep", async () => {
    const { user, key } = await planUser(a.url, admin, "Enterprise");
    const subject = `user:${user.id}`;
    let stop = false;
    const onA = load(a.url, key, 4, () => stop);
    // A holds a lease on the user's quota while the load runs.
    await waitFor(async () => (await counter(direct, subject)).leasedRequests, (n) => n > 0, 30_000);
    expect(await leaseRows(direct, subject)).toBe(1);
    const next = childPids(a.proc.pid!);
    for (const pid of next) process.kill(pid, "SIGKILL");
    process.kill(a.proc.pid!, "SIGKILL");
    const killedAt = Date.now();
    stop = true;
    const answered = (await onA).filter((r): r is Sent => r?.status === 200);
    await waitFor(async () => next.some(alive), (any) => !any);

    const back = await waitFor(() => counter(direct, subject), (c) => c.leasedRequests === 0 && c.leasedComputeMs === 0, 60_000);
    const window = Date.now() - killedAt;
    expect(back.leasedRequests).toBe(0);
    expect(await leaseRows(direct, subject)).toBe(0);
    expect(window).toBeLessThan(LEASE_MS + SWEEP_MS + 10_000);
    expect(b.logs()).toMatch(/reclaimed the quota leases of lapsed instances/);
    // What the killed instance had not yet written back (its last write-back interval) is lost with it, as are its
    // unwritten usage events; nothing is billed twice.
    expect(back.usedRequests).toBeLessThanOrEqual(answered.length);
    // B serves the user from its own lease at once.
    expect((await vad(b.url, key)).status).toBe(200);
  });
});
