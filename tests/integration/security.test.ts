/**
 * Hostile input and security, as tables: every row asserts its status and error code, and that the server is still
 * healthy afterwards. Complements api-bad-input, api-keys, auth, roles and admin-usage (which this does not repeat).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { request, signIn, signUp, type CookieJar } from "../support/http";
import { adminJar, bearer, createKey, form, newUser, sample, tinyWav, waitFor, type TestUser } from "../support/api";
import { rawHttp, slowUpload } from "../support/hostile";
import { hostileFixtures, hostileRows, type HostileFixtures } from "../support/hostile-rows";
import { DirectDb } from "../support/infra";
import { freshDatabase, startServer, type RunningServer } from "../support/server";

const base = inject("baseUrl");
const onPostgres = /^postgres/.test(inject("databaseUrl"));
const port = Number(new URL(base).port);

type ErrorBody = { error: { type: string; code: string; message: string; param?: string } };

async function expectHealthy(url = base) {
  expect((await fetch(`${url}/api/health`)).status).toBe(200);
}

async function errorOf(res: Response): Promise<{ code: string | null; param?: string; text: string }> {
  const text = await res.text();
  try {
    const e = (JSON.parse(text) as Partial<ErrorBody>).error;
    return { code: e?.code ?? null, param: e?.param, text };
  } catch {
    return { code: null, text };
  }
}

describe("hostile inputs across the API", () => {
  let user: TestUser;
  let key: string;
  let admin: CookieJar;
  let fixtures: HostileFixtures;

  beforeAll(async () => {
    user = await newUser(base, "hostile");
    admin = await adminJar(base, inject("adminEmail"), inject("adminPassword"));
    // Pro: this file makes a few dozen metered calls with one key.
    expect((await request(base, `/api/v1/admin/users/${user.id}`, { method: "PATCH", jar: admin, json: { plan: "Pro" } })).status).toBe(200);
    key = (await createKey(base, user)).key;
    fixtures = await hostileFixtures();
  });

  const rows = hostileRows(onPostgres, () => fixtures);

  it.each(rows)("$name → $status $code", async ({ path: p, method, auth, init, status, code, param }) => {
    const i = init?.() ?? {};
    const headers: Record<string, string> = { ...(auth === undefined || auth === "key" ? bearer(key) : {}), ...((i.headers as Record<string, string>) ?? {}) };
    const jar = auth === "user" ? user.jar : auth === "admin" ? admin : undefined;
    const res = await request(base, p, { method: method ?? "POST", ...i, headers, jar });
    const e = await errorOf(res);
    expect({ status: res.status, code: e.code }, e.text.slice(0, 300)).toEqual({ status, code });
    if (param) expect(e.param).toBe(param);
    expect(e.text).not.toMatch(/\n\s+at |node_modules/);
    expect(res.headers.get("x-injected")).toBeNull();
    await expectHealthy();
  });

  // Names: stored faithfully and returned as valid JSON, or refused with a clear 422 naming the field.
  const names: { name: string; value: string; status: number }[] = [
    { name: "RTL override", value: "\u202Egnp.exe", status: 201 },
    { name: "zero-width joiners (family emoji)", value: "team \u{1F469}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}", status: 201 },
    { name: "emoji and a combining accent", value: "\u{1F511} cle\u0301 \u{1F680}", status: 201 },
    { name: "control characters (BEL, ESC)", value: "bell\u0007 esc\u001b[31m", status: 201 },
    { name: "10,000 characters", value: "x".repeat(10_000), status: 422 },
    { name: "a NUL byte", value: "nul\u0000name", status: 422 },
  ];

  it.each(names)("key name with $name → $status", async ({ value, status }) => {
    const res = await request(base, "/api/v1/keys", { method: "POST", jar: user.jar, json: { name: value } });
    expect(res.status).toBe(status);
    const text = await res.text();
    if (status === 422) {
      expect((JSON.parse(text) as ErrorBody).error).toMatchObject({ code: "validation_error", param: "name" });
    } else {
      const { id } = JSON.parse(text) as { id: string };
      const list = await (await request(base, "/api/v1/keys", { jar: user.jar })).text();
      expect((JSON.parse(list) as { data: { id: string; name: string }[] }).data.find((k) => k.id === id)?.name).toBe(value);
      // Control characters travel JSON-escaped, never raw.
      expect(list).not.toMatch(/[\u0000-\u001f]/);
    }
    await expectHealthy();
  });

  it.each(names)("sign-up name with $name → $status", async ({ value, status }) => {
    const email = `names-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@example.com`;
    const res = await request(base, "/api/auth/signup", { method: "POST", json: { email, password: "longenough1", name: value } });
    const text = await res.text();
    expect(res.status).toBe(status);
    if (status === 422) expect((JSON.parse(text) as ErrorBody).error).toMatchObject({ code: "validation_error", param: "name" });
    else {
      expect((JSON.parse(text) as { user: { name: string } }).user.name).toBe(value);
      expect(text).not.toMatch(/[\u0000-\u001f]/);
    }
    await expectHealthy();
  });
});

describe("header injection: nothing a client sends comes back as a header", () => {
  const cases: { name: string; send: () => Promise<{ status: number; headers: string[] }> }[] = [
    {
      name: "a CRLF-looking request id (percent-encoded) is replaced, not echoed",
      send: async () => {
        const res = await fetch(`${base}/api/health`, { headers: { "x-request-id": "abcdefgh%0D%0AX-Injected:%201" } });
        expect(res.headers.get("x-request-id")).toMatch(/^req_/);
        return { status: res.status, headers: [...res.headers].map(([k, v]) => `${k}: ${v}`) };
      },
    },
    {
      name: "a bare CR inside a header value is refused by the HTTP parser",
      send: async () => {
        const r = await rawHttp(port, "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: abcdefgh\rX-Injected: 1\r\nConnection: close\r\n\r\n");
        return { status: Number(r.statusLine.split(" ")[1]), headers: r.headers };
      },
    },
    {
      name: "a header line folded with a bare LF carrying Set-Cookie",
      send: async () => {
        const r = await rawHttp(port, "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: abcdefgh\nSet-Cookie: pwned=1\r\nConnection: close\r\n\r\n");
        return { status: Number(r.statusLine.split(" ")[1]), headers: r.headers };
      },
    },
    {
      name: "an encoded CRLF in a model id (echoed only inside the JSON error)",
      send: async () => {
        const res = await fetch(`${base}/api/v1/models/x%0D%0AX-Injected:%201`);
        expect(res.status).toBe(404);
        expect(await res.text()).toContain("\\r\\nX-Injected");
        return { status: res.status, headers: [...res.headers].map(([k, v]) => `${k}: ${v}`) };
      },
    },
    {
      name: "an encoded CRLF in next-auth's callbackUrl",
      send: async () => {
        const r = await rawHttp(port, "GET /api/auth/signin?callbackUrl=%2F%0D%0AX-Injected:%201 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        return { status: Number(r.statusLine.split(" ")[1]), headers: r.headers };
      },
    },
    {
      name: "an encoded CRLF in a page's query (sign-in redirect)",
      send: async () => {
        const r = await rawHttp(port, "GET /keys?next=%0D%0AX-Injected:%201 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        return { status: Number(r.statusLine.split(" ")[1]), headers: r.headers };
      },
    },
  ];
  it.each(cases)("$name", async ({ send }) => {
    const { status, headers } = await send();
    expect(status).toBeGreaterThanOrEqual(200);
    expect(status).toBeLessThan(500);
    for (const h of headers) {
      expect(h).not.toMatch(/^x-injected/i);
      expect(h).not.toMatch(/pwned/i);
      expect(h).not.toMatch(/[\r\n]/);
    }
    await expectHealthy();
  });
});

describe("IDOR: a user can neither see nor change another user's things", () => {
  let a: TestUser;
  let b: TestUser;
  let aKey: string;
  let bKey: { id: string; key: string };
  let admin: CookieJar;
  let adminKey: string;
  let planId: string;

  beforeAll(async () => {
    a = await newUser(base, "idor-a");
    b = await newUser(base, "idor-b");
    aKey = (await createKey(base, a)).key;
    bKey = await createKey(base, b, { name: "b-private" });
    admin = await adminJar(base, inject("adminEmail"), inject("adminPassword"));
    adminKey = (await createKey(base, { email: "", id: "", jar: admin })).key;
    planId = ((await (await request(base, "/api/v1/admin/plans", { jar: admin })).json()) as { data: { id: string; name: string }[] }).data.find((p) => p.name === "Pro")!.id;
  });

  const rows: { name: string; run: () => Promise<Response>; status: number; code: string }[] = [
    { name: "USER promotes another user to ADMIN", run: () => request(base, `/api/v1/admin/users/${b.id}`, { method: "PATCH", jar: a.jar, json: { role: "ADMIN" } }), status: 403, code: "forbidden" },
    { name: "USER promotes themself to ADMIN", run: () => request(base, `/api/v1/admin/users/${a.id}`, { method: "PATCH", jar: a.jar, json: { role: "ADMIN" } }), status: 403, code: "forbidden" },
    { name: "USER disables another user", run: () => request(base, `/api/v1/admin/users/${b.id}`, { method: "PATCH", jar: a.jar, json: { disabled: true } }), status: 403, code: "forbidden" },
    { name: "USER moves another user to Enterprise", run: () => request(base, `/api/v1/admin/users/${b.id}`, { method: "PATCH", jar: a.jar, json: { plan: "Enterprise" } }), status: 403, code: "forbidden" },
    { name: "USER edits a plan's limits", run: () => request(base, `/api/v1/admin/plans/${planId}`, { method: "PATCH", jar: a.jar, json: { requests_per_minute: 1 } }), status: 403, code: "forbidden" },
    { name: "USER's API key filters usage by another user's key", run: () => request(base, `/api/v1/usage?key=${bKey.id}`, { headers: bearer(aKey) }), status: 404, code: "not_found" },
    { name: "USER's API key exports another user's key's usage as CSV", run: () => request(base, `/api/v1/usage/export.csv?key=${bKey.id}`, { headers: bearer(aKey) }), status: 404, code: "not_found" },
    { name: "an admin's API key does not open admin routes (sessions only)", run: () => request(base, "/api/v1/admin/users", { headers: bearer(adminKey) }), status: 401, code: "unauthorized" },
    { name: "an admin's API key cannot change a user", run: () => request(base, `/api/v1/admin/users/${b.id}`, { method: "PATCH", headers: bearer(adminKey), json: { role: "ADMIN" } }), status: 401, code: "unauthorized" },
  ];
  it.each(rows)("$name → $status $code", async ({ run, status, code }) => {
    const res = await run();
    const e = await errorOf(res);
    expect({ status: res.status, code: e.code }).toEqual({ status, code });
    expect(e.text).not.toContain("b-private");
    await expectHealthy();
  });

  it("afterwards both users are unchanged and B's key still works", async () => {
    const users = (await (await request(base, `/api/v1/admin/users?search=idor-`, { jar: admin })).json()) as { data: { id: string; role: string; disabled: boolean; plan: { name: string } | null }[] };
    for (const id of [a.id, b.id]) expect(users.data.find((u) => u.id === id)).toMatchObject({ role: "USER", disabled: false, plan: { name: "Free" } });
    const plan = ((await (await request(base, "/api/v1/admin/plans", { jar: admin })).json()) as { data: { id: string; requests_per_minute: number }[] }).data.find((p) => p.id === planId)!;
    expect(plan.requests_per_minute).toBeGreaterThan(1);
    expect((await request(base, "/api/v1/vad", { method: "POST", headers: bearer(bKey.key), body: form("audio", tinyWav(), "a.wav") })).status).toBe(200);
  });
});

describe("CSRF: every cookie-authenticated mutation refuses a foreign or missing Origin", () => {
  let user: TestUser;
  let other: TestUser;
  let admin: CookieJar;
  let keyId: string;
  let planId: string;
  const wavBody = () => form("audio", tinyWav(), "a.wav");

  beforeAll(async () => {
    user = await newUser(base, "csrf");
    other = await newUser(base, "csrf-other");
    admin = await adminJar(base, inject("adminEmail"), inject("adminPassword"));
    keyId = (await createKey(base, user, { name: "csrf-target" })).id;
    planId = ((await (await request(base, "/api/v1/admin/plans", { jar: admin })).json()) as { data: { id: string; name: string }[] }).data.find((p) => p.name === "Pro")!.id;
  });

  type Route = { name: string; method: string; path: () => string; as: () => CookieJar | null; body?: () => BodyInit; json?: unknown };
  const routes: Route[] = [
    { name: "create a key", method: "POST", path: () => "/api/v1/keys", as: () => user.jar, json: { name: "csrf" } },
    { name: "revoke a key", method: "DELETE", path: () => `/api/v1/keys/${keyId}`, as: () => user.jar },
    { name: "rotate a key", method: "POST", path: () => `/api/v1/keys/${keyId}/rotate`, as: () => user.jar },
    { name: "run OCR from the playground", method: "POST", path: () => "/api/v1/ocr", as: () => user.jar, body: () => form("image", sample("sign-en.png"), "s.png") },
    { name: "run VAD from the playground", method: "POST", path: () => "/api/v1/vad", as: () => user.jar, body: wavBody },
    { name: "switch language", method: "POST", path: () => "/api/account/locale", as: () => user.jar, json: { locale: "zh" } },
    { name: "sign up", method: "POST", path: () => "/api/auth/signup", as: () => null, json: { email: `csrf-${Date.now()}@example.com`, password: "longenough1" } },
    { name: "admin: change a user", method: "PATCH", path: () => `/api/v1/admin/users/${other.id}`, as: () => admin, json: { role: "ADMIN" } },
    { name: "admin: change a plan", method: "PATCH", path: () => `/api/v1/admin/plans/${planId}`, as: () => admin, json: { requests_per_minute: 1 } },
    { name: "admin: disable a model", method: "POST", path: () => "/api/v1/admin/models/silero-vad-v4/disable", as: () => admin },
    { name: "admin: promote a model", method: "POST", path: () => "/api/v1/admin/models/silero-vad-v4/promote", as: () => admin },
    { name: "admin: start a benchmark", method: "POST", path: () => "/api/v1/admin/benchmarks", as: () => admin, json: { mode: "quick" } },
    { name: "admin: cancel a benchmark", method: "POST", path: () => "/api/v1/admin/benchmarks/none/cancel", as: () => admin },
  ];
  const origins: { name: string; headers: () => Record<string, string> }[] = [
    { name: "foreign Origin", headers: () => ({ origin: "https://evil.example" }) },
    { name: "Origin null (sandboxed frame)", headers: () => ({ origin: "null" }) },
    { name: "look-alike Origin", headers: () => ({ origin: `http://127.0.0.1:${port}.evil.example` }) },
    { name: "no Origin, foreign Referer", headers: () => ({ referer: "https://evil.example/page" }) },
    { name: "no Origin and no Referer", headers: () => ({}) },
  ];
  const table = routes.flatMap((r) => origins.map((o) => ({ ...r, origin: o.name, originHeaders: o.headers })));

  it.each(table)("$name with $origin → 403 csrf_failed", async ({ method, path: p, as, body, json: j, originHeaders }) => {
    const jar = as();
    const headers: Record<string, string> = { ...originHeaders(), ...(jar ? { cookie: jar.header() } : {}), ...(j !== undefined ? { "content-type": "application/json" } : {}) };
    const res = await fetch(`${base}${p()}`, { method, headers, body: j !== undefined ? JSON.stringify(j) : body?.(), redirect: "manual" });
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorBody).error).toMatchObject({ type: "permission_error", code: "csrf_failed" });
  });

  it("none of them took effect", async () => {
    const key = (await (await request(base, `/api/v1/keys/${keyId}`, { jar: user.jar })).json()) as { status: string };
    expect(key.status).toBe("active");
    const keys = (await (await request(base, "/api/v1/keys", { jar: user.jar })).json()) as { data: unknown[] };
    expect(keys.data).toHaveLength(1);
    const users = (await (await request(base, `/api/v1/admin/users?search=csrf-other`, { jar: admin })).json()) as { data: { id: string; role: string }[] };
    expect(users.data.find((u) => u.id === other.id)?.role).toBe("USER");
    const plan = ((await (await request(base, "/api/v1/admin/plans", { jar: admin })).json()) as { data: { id: string; requests_per_minute: number }[] }).data.find((p) => p.id === planId)!;
    expect(plan.requests_per_minute).toBeGreaterThan(1);
    const models = (await (await request(base, "/api/v1/models")).json()) as { data: { id: string; enabled: boolean }[] };
    expect(models.data.find((m) => m.id === "silero-vad-v4")?.enabled).toBe(true);
    // The same mutation from our own origin works.
    expect((await request(base, "/api/v1/keys", { method: "POST", jar: user.jar, json: { name: "same-site" } })).status).toBe(201);
  });
});

describe("security headers on API responses", () => {
  const routes: { name: string; path: string; init?: RequestInit }[] = [
    { name: "GET /api/health", path: "/api/health" },
    { name: "GET /api/ready", path: "/api/ready" },
    { name: "GET /api/v1/models", path: "/api/v1/models" },
    { name: "GET /api/v1/openapi.json", path: "/api/v1/openapi.json" },
    { name: "401 from GET /api/v1/usage", path: "/api/v1/usage" },
    { name: "401 from POST /api/v1/ocr", path: "/api/v1/ocr", init: { method: "POST", body: form("image", sample("sign-en.png"), "s.png") } },
    { name: "422 from POST /api/auth/signup", path: "/api/auth/signup", init: { method: "POST", headers: { "content-type": "application/json", origin: base }, body: "{}" } },
    { name: "401 from GET /metrics", path: "/metrics" },
    { name: "GET /v2/health/ready", path: "/v2/health/ready" },
  ];
  it.each(routes)("$name", async ({ path: p, init }) => {
    const res = await fetch(`${base}${p}`, init);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-powered-by")).toBeNull();
  });
});

describe("a dedicated server: slow bodies, and secrets never logged or stored in plaintext", () => {
  let server: RunningServer;
  let drop: () => Promise<void>;
  let url: string;

  beforeAll(async () => {
    const fresh = await freshDatabase();
    drop = fresh.drop;
    url = fresh.url;
    // Debug logging on, so the most verbose logs are the ones checked; a 2 s body deadline for the slow clients.
    server = await startServer({ DATABASE_URL: fresh.url, PARETO_DEBUG: "1", PARETO_BODY_TIMEOUT_MS: "2000", PARETO_AUTO_BENCHMARK: "0" }, { dataDir: fresh.dataDir });
  });
  afterAll(async () => {
    await server?.stop();
    await drop?.();
  });

  it("a multipart or JSON body trickled slower than PARETO_BODY_TIMEOUT_MS gets 408 request_timeout mid-upload", async () => {
    const u = await newUser(server.url, "slow");
    const { key } = await createKey(server.url, u);
    const part = Buffer.concat([
      Buffer.from('--b0undary\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n'),
      sample("sign-en.png").subarray(0, 64),
    ]);
    // One byte every 200 ms for up to 60 s: the deadline ends it long before the client would finish.
    const multipart = await slowUpload(`${server.url}/api/v1/ocr`, { ...bearer(key), "content-type": "multipart/form-data; boundary=b0undary" }, part, 200, 60_000);
    expect(multipart.status).toBe(408);
    expect((JSON.parse(multipart.body) as ErrorBody).error).toMatchObject({ type: "invalid_request_error", code: "request_timeout" });
    expect(multipart.sentBytes).toBeLessThan(part.length + 150);
    const jsonSlow = await slowUpload(`${server.url}/api/v1/vad`, { ...bearer(key), "content-type": "application/json" }, Buffer.from('{"audio":"UklGR'), 200, 60_000);
    expect(jsonSlow.status).toBe(408);
    expect((JSON.parse(jsonSlow.body) as ErrorBody).error.code).toBe("request_timeout");
    await expectHealthy(server.url);
    expect((await request(server.url, "/api/v1/vad", { method: "POST", headers: bearer(key), body: form("audio", tinyWav(), "a.wav") })).status).toBe(200);
  });

  it("the key, the password and the session never appear in any table, any column, or the logs", async () => {
    const tag = crypto.randomBytes(6).toString("hex");
    const password = `Pl41ntext-Passw0rd-${tag}`;
    const wrongPassword = `Wr0ng-Passw0rd-${tag}`;
    const email = `secret-${tag}@example.com`;
    expect((await signUp(server.url, email, password, "Secret Keeper")).status).toBe(201);
    const session = await signIn(server.url, email, password);
    expect(session.ok).toBe(true);
    expect((await signIn(server.url, email, wrongPassword)).ok).toBe(false);
    const me: TestUser = { email, id: "", jar: session.jar };
    const { key, id } = await createKey(server.url, me, { name: "secret key" });
    const call = (k: string) => request(server.url, "/api/v1/vad", { method: "POST", headers: bearer(k), body: form("audio", tinyWav(), "a.wav") });
    expect((await call(key)).status).toBe(200);
    expect((await request(server.url, "/api/v1/ocr", { method: "POST", headers: bearer(key), body: form("image", Buffer.from("junk"), "x.png") })).status).toBe(400);
    expect((await request(server.url, "/api/v1/usage", { headers: bearer(key) })).status).toBe(200);
    const rotated = (await (await request(server.url, `/api/v1/keys/${id}/rotate`, { method: "POST", jar: session.jar })).json()) as { key: string };
    expect((await call(rotated.key)).status).toBe(200);
    expect((await call(key)).status).toBe(401);
    expect((await call(`${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`)).status).toBe(401);

    const cookie = session.jar.header().split("; ").find((c) => c.includes("session-token"))!.split("=").slice(1).join("=");
    const authSecretFile = path.join(server.dataDir, "auth-secret");
    const authSecret = process.env.NEXTAUTH_SECRET ?? (fs.existsSync(authSecretFile) ? fs.readFileSync(authSecretFile, "utf8").trim() : "");
    const secrets = { password, wrongPassword, key, keyBody: key.slice(3), rotated: rotated.key, rotatedBody: rotated.key.slice(3), cookie, authSecret };
    for (const [k, v] of Object.entries(secrets)) expect(v.length, k).toBeGreaterThan(10);

    const db = new DirectDb(url);
    let dump: string;
    try {
      // Usage events are written off the response path: wait until this user's are in.
      await waitFor(async () => (await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM "UsageEvent"`))[0].n, (n) => Number(n) >= 6, 30_000);
      dump = await db.dump();
      const users = await db.query<{ email: string; passwordHash: string }>(`SELECT "email", "passwordHash" FROM "User"`);
      expect(users.find((u) => u.email === email)?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);
    } finally {
      await db.close();
    }
    expect(dump.length).toBeGreaterThan(1000);
    // Only the SHA-256 of each key (and an 9-character display prefix) is stored.
    expect(dump).toContain(crypto.createHash("sha256").update(key).digest("hex"));
    expect(dump).toContain(crypto.createHash("sha256").update(rotated.key).digest("hex"));
    const logs = server.logs();
    expect(logs).toContain("Ready");
    for (const [k, v] of Object.entries(secrets)) {
      expect(dump.includes(v), `${k} in the database`).toBe(false);
      expect(logs.includes(v), `${k} in the logs`).toBe(false);
      expect(dump.includes(Buffer.from(v).toString("base64")), `${k} (base64) in the database`).toBe(false);
    }
  });
});
