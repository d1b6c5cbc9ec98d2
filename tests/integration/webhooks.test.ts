/**
 * Job webhooks against a real database (SQLite, or PostgreSQL with PARETO_TEST_DATABASE_URL) and a real HTTP
 * receiver on 127.0.0.1: signed deliveries verified with the user's secret by the reference library, a 500 retried
 * until a 200, loopback refused without PARETO_WEBHOOK_ALLOW_PRIVATE, timeouts and refused connections logged and
 * retried, and two dispatchers on one database never sending one attempt twice.
 */
import { spawnSync } from "node:child_process";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { createKey, newUser, waitFor } from "../support/api";
import { request } from "../support/http";
import { openFreshDatabase, type OpenDatabase } from "../support/fresh-db";
import { ROOT } from "../support/server";

type Webhooks = typeof import("@/lib/webhooks");
type Received = { id: string; path: string; headers: Record<string, string>; body: string };

let open: OpenDatabase;
let wh: Webhooks;
let userId: string;
let secret: string;

/** A receiver whose answer each test chooses; it records every request it gets. */
const received: Received[] = [];
let answer: (r: Received) => number | "hang" = () => 200;
const hanging = new Set<http.ServerResponse>();
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const r: Received = { id: String(req.headers["webhook-id"]), path: req.url ?? "", headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString() };
    received.push(r);
    const a = answer(r);
    if (a === "hang") return void hanging.add(res);
    // A long answer (only 1 KB of it is read); a redirect points to the receiver's own /elsewhere.
    res.writeHead(a, { "content-type": "text/plain", ...(a >= 300 && a < 400 ? { location: `${base}/elsewhere` } : {}) }).end("x".repeat(5000));
  });
});
let base = "";

const dispatchers: { stop(): Promise<void> }[] = [];
function dispatcher(instanceId: string) {
  const d = wh.startWebhookDispatcher({ instanceId });
  dispatchers.push(d);
  return d;
}

let jobSeq = 0;
const newJobId = () => `job_wh_${Date.now()}_${++jobSeq}`;

async function enqueue(url: string, jobId = newJobId()) {
  await wh.enqueueWebhook({ jobId, userId, url, event: "job.succeeded", payload: { id: jobId, object: "job", status: "succeeded" } });
  return jobId;
}

async function deliveryOf(jobId: string) {
  const [d] = await wh.listDeliveries(jobId);
  return d;
}

async function setTiming(attemptTimeoutMs = 10_000) {
  (await import("@/lib/webhooks/timing")).setWebhookTimingForTests({ backoffScale: 0.01, pollMs: 100, attemptTimeoutMs, leaseMs: 30_000 });
}

beforeAll(async () => {
  open = await openFreshDatabase();
  wh = await import("@/lib/webhooks");
  // Short waits (50 ms, 300 ms, 1.2 s, …) and a fast poll; nothing is asserted on time.
  await setTiming();
  const { createUser } = await import("@/lib/db/users");
  userId = (await createUser({ email: `webhooks-${Date.now()}@example.com`, name: "Hooks" })).id;
  secret = await wh.webhookSecretFor(userId);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await Promise.all(dispatchers.splice(0).map((d) => d.stop()));
  for (const res of hanging) res.destroy();
  hanging.clear();
  received.length = 0;
  answer = () => 200;
  delete process.env.PARETO_WEBHOOK_ALLOW_PRIVATE;
  await setTiming();
  // Deliveries still pending must not be picked up by the next test's dispatchers.
  await open.client.db().webhookDelivery.deleteMany({ where: { status: "pending" } });
});

afterAll(async () => {
  (await import("@/lib/webhooks/timing")).setWebhookTimingForTests();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await open?.close();
});

describe("the user's secret", () => {
  it("is whsec_ + 32 bytes, stable across reads, replaced by rotation", async () => {
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(await wh.webhookSecretFor(userId)).toBe(secret);
    const other = (await (await import("@/lib/db/users")).createUser({ email: `webhooks-rot-${Date.now()}@example.com` })).id;
    const first = await wh.webhookSecretFor(other);
    const rotated = await wh.rotateWebhookSecret(other);
    expect(rotated).not.toBe(first);
    expect(await wh.webhookSecretFor(other)).toBe(rotated);
  });

  it("two first uses at once agree on one secret", async () => {
    const fresh = (await (await import("@/lib/db/users")).createUser({ email: `webhooks-race-${Date.now()}@example.com` })).id;
    const got = await Promise.all(Array.from({ length: 8 }, () => wh.webhookSecretFor(fresh)));
    expect(new Set(got).size).toBe(1);
  });
});

describe("GET/POST /api/account/webhook-secret (the keys page, on the shared server)", () => {
  const portal = inject("baseUrl");

  it("shows the signed-in user's secret, the same on every read; POST rotates it", async () => {
    const u = await newUser(portal, "webhook-secret");
    const first = await request(portal, "/api/account/webhook-secret", { jar: u.jar });
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toContain("no-store");
    const { secret } = (await first.json()) as { secret: string };
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(((await (await request(portal, "/api/account/webhook-secret", { jar: u.jar })).json()) as { secret: string }).secret).toBe(secret);
    const rotated = await request(portal, "/api/account/webhook-secret", { method: "POST", jar: u.jar });
    expect(rotated.status).toBe(200);
    const next = ((await rotated.json()) as { secret: string }).secret;
    expect(next).toMatch(/^whsec_/);
    expect(next).not.toBe(secret);
    expect(((await (await request(portal, "/api/account/webhook-secret", { jar: u.jar })).json()) as { secret: string }).secret).toBe(next);
  });

  it.each<{ name: string; method: string; session: boolean; headers: Record<string, string>; status: number; code?: string }>([
    { name: "no session (GET)", method: "GET", session: false, headers: {}, status: 401 },
    { name: "no session (POST)", method: "POST", session: false, headers: {}, status: 401 },
    { name: "POST from a foreign origin", method: "POST", session: true, headers: { origin: "https://evil.example" }, status: 403, code: "csrf_failed" },
  ])("$name → $status", async ({ method, session, headers, status, code }) => {
    const u = await newUser(portal, "webhook-secret-refused");
    const before = ((await (await request(portal, "/api/account/webhook-secret", { jar: u.jar })).json()) as { secret: string }).secret;
    const res = await request(portal, "/api/account/webhook-secret", { method, headers, jar: session ? u.jar : undefined });
    expect(res.status).toBe(status);
    if (code) expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    expect(((await (await request(portal, "/api/account/webhook-secret", { jar: u.jar })).json()) as { secret: string }).secret).toBe(before);
  });

  it("an API key is not a session: the secret is not readable with one", async () => {
    const u = await newUser(portal, "webhook-secret-key");
    const { key } = await createKey(portal, u);
    const res = await request(portal, "/api/account/webhook-secret", { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(401);
  });
});

describe("npm run pareto -- webhook:secret", () => {
  function cli(...args: string[]) {
    const r = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", path.join(ROOT, "scripts", "cli.ts"), "webhook:secret", ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: open.url, PARETO_DATA_DIR: open.dataDir },
      encoding: "utf8",
    });
    return { code: r.status, out: r.stdout, err: r.stderr, last: r.stdout.trim().split("\n").at(-1) };
  }

  it("prints the user's secret (made on first use); --rotate prints a new one that is then the secret", async () => {
    const { createUser } = await import("@/lib/db/users");
    const email = `webhooks-cli-${Date.now()}@example.com`;
    const id = (await createUser({ email })).id;
    const first = cli("--email", email);
    expect(first).toMatchObject({ code: 0, err: "" });
    expect(first.last).toMatch(/^whsec_/);
    expect(await wh.webhookSecretFor(id)).toBe(first.last);
    expect(cli("--email", email).last).toBe(first.last);
    const rotated = cli("--email", email, "--rotate");
    expect(rotated.code).toBe(0);
    expect(rotated.last).toMatch(/^whsec_/);
    expect(rotated.last).not.toBe(first.last);
    expect(await wh.webhookSecretFor(id)).toBe(rotated.last);
  });

  it.each([
    { args: [], msg: "missing --email" },
    { args: ["--email", "not-an-email"], msg: "--email: not a valid email address" },
    { args: ["--email", "nobody-here@example.com"], msg: "no user with email nobody-here@example.com" },
  ])("$args → exit 2: $msg", ({ args, msg }) => {
    const r = cli(...args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(msg);
  });
});

describe("delivery", () => {
  it("signed with the user's secret; a 500 is retried and the retry's 200 ends it delivered with 2 attempts logged", async () => {
    process.env.PARETO_WEBHOOK_ALLOW_PRIVATE = "1";
    const verified: boolean[] = [];
    answer = (r) => {
      try {
        new Webhook(secret).verify(r.body, r.headers);
        verified.push(true);
      } catch {
        verified.push(false);
      }
      return received.length === 1 ? 500 : 200;
    };
    await wh.checkWebhookUrl(`${base}/hook`);
    const jobId = await enqueue(`${base}/hook`);
    dispatcher("inst-a");
    const d = await waitFor(() => deliveryOf(jobId), (v) => v.status !== "pending", 30_000);

    expect(d).toMatchObject({ event: "job.succeeded", status: "delivered", attempts: 2, next_attempt_at: null });
    expect(d.delivered_at).not.toBeNull();
    expect(d.log.map((l) => ({ status: l.status, error: l.error }))).toEqual([
      { status: 500, error: "HTTP 500" },
      { status: 200, error: undefined },
    ]);
    for (const l of d.log) expect(l.duration_ms).toBeGreaterThanOrEqual(0);
    expect(verified).toEqual([true, true]);
    // One delivery id across its retries; each attempt signs its own timestamp.
    expect(received.map((r) => r.id)).toEqual([d.id, d.id]);
    const body = JSON.parse(received[1].body) as { type: string; timestamp: string; data: { id: string } };
    expect(body).toMatchObject({ type: "job.succeeded", data: { id: jobId, object: "job", status: "succeeded" } });
    expect(new Date(body.timestamp).getTime()).not.toBeNaN();
    expect(received[1].headers).toMatchObject({ "content-type": "application/json", "user-agent": "Pareto-Webhooks/1" });
  });

  it("without PARETO_WEBHOOK_ALLOW_PRIVATE a 127.0.0.1 target is refused at submission, and one enqueued anyway is never sent", async () => {
    await expect(wh.checkWebhookUrl(`${base}/hook`)).rejects.toMatchObject({ code: "invalid_webhook_url", param: "webhook_url", message: expect.stringContaining("loopback") as unknown });
    const jobId = await enqueue(`${base}/hook`);
    dispatcher("inst-a");
    const d = await waitFor(() => deliveryOf(jobId), (v) => v.status !== "pending", 30_000);
    // Given up at once: a refused target is not retried.
    expect(d).toMatchObject({ status: "failed", attempts: 1, delivered_at: null, next_attempt_at: null });
    expect(d.log[0].error).toMatch(/^refused: 127\.0\.0\.1 is a loopback address/);
    expect(d.log[0].status).toBeUndefined();
    expect(received).toHaveLength(0);
  });

  it("a timeout, a refused connection and a host that does not resolve are logged and retried", async () => {
    process.env.PARETO_WEBHOOK_ALLOW_PRIVATE = "1";
    answer = () => "hang";
    // A short attempt timeout for the receiver that never answers (elsewhere 10 s, so a busy machine is no timeout).
    await setTiming(1_000);
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));

    const slow = await enqueue(`${base}/slow`);
    const refused = await enqueue(`http://127.0.0.1:${deadPort}/gone`);
    const unresolved = await enqueue("http://no-such-host.invalid/hook");
    dispatcher("inst-a");
    const [s, r, u] = await Promise.all([
      waitFor(() => deliveryOf(slow), (v) => v.attempts >= 2, 60_000),
      waitFor(() => deliveryOf(refused), (v) => v.attempts >= 2, 60_000),
      waitFor(() => deliveryOf(unresolved), (v) => v.attempts >= 2, 60_000),
    ]);
    // DNS may fail for a while: unlike a refused address, it is retried.
    expect(u.status).toBe("pending");
    for (const l of u.log.slice(0, 2)) expect(l.error).toContain("the host no-such-host.invalid does not resolve");
    expect(s.status).toBe("pending");
    expect(s.log.slice(0, 2).map((l) => l.error)).toEqual(["timed out after 1 s", "timed out after 1 s"]);
    expect(r.status).toBe("pending");
    for (const l of r.log.slice(0, 2)) expect(l.error).toMatch(/ECONNREFUSED/);
    expect(r.next_attempt_at).not.toBeNull();
  });

  it("a redirect is not followed: it is a failed attempt, retried", async () => {
    process.env.PARETO_WEBHOOK_ALLOW_PRIVATE = "1";
    answer = () => (received.length === 1 ? 302 : 200);
    const jobId = await enqueue(`${base}/moved`);
    dispatcher("inst-a");
    const d = await waitFor(() => deliveryOf(jobId), (v) => v.status !== "pending", 30_000);
    expect(d.log.map((l) => l.status)).toEqual([302, 200]);
    expect(received.map((r) => r.id)).toEqual([d.id, d.id]);
    expect(received.map((r) => r.path)).toEqual(["/moved", "/moved"]);
  });

  it("connects to the address that was checked, not to a fresh DNS answer for the name", async () => {
    // The host name does not resolve anywhere: only the pinned address can reach the receiver.
    const { sendAttempt } = await import("@/lib/webhooks/send");
    const port = (server.address() as AddressInfo).port;
    const r = await sendAttempt({ url: new URL(`http://rebound.invalid:${port}/pinned`), address: "127.0.0.1", family: 4 }, { "webhook-id": "msg_pinned" }, "{}", { timeoutMs: 5_000 });
    expect(r).toEqual({ ok: true, status: 200 });
    expect(received.at(-1)).toMatchObject({ id: "msg_pinned", headers: { host: `rebound.invalid:${port}` } });
  });

  it("two dispatchers on one database never send the same attempt twice", async () => {
    process.env.PARETO_WEBHOOK_ALLOW_PRIVATE = "1";
    // Every delivery's first arrival gets a 500 and its second a 200: exactly two requests per delivery id.
    const seen = new Map<string, number>();
    answer = (r) => {
      seen.set(r.id, (seen.get(r.id) ?? 0) + 1);
      return seen.get(r.id) === 1 ? 500 : 200;
    };
    const jobs = await Promise.all(Array.from({ length: 24 }, () => enqueue(`${base}/pair`)));
    dispatcher("inst-a");
    dispatcher("inst-b");
    const all = await waitFor(
      () => Promise.all(jobs.map(deliveryOf)),
      (ds) => ds.every((d) => d.status !== "pending"),
      60_000,
    );
    expect(all.map((d) => d.log.map((l) => l.status ?? l.error))).toEqual(jobs.map(() => [500, 200]));
    expect(all.map((d) => [d.status, d.attempts])).toEqual(jobs.map(() => ["delivered", 2]));
    expect(received).toHaveLength(48);
    expect([...seen.values()]).toEqual(jobs.map(() => 2));
    expect(new Set(received.map((r) => r.id))).toEqual(new Set(all.map((d) => d.id)));
  });
});
