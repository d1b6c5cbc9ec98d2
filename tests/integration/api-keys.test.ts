import { beforeAll, describe, expect, inject, it } from "vitest";
import { request } from "../support/http";
import { bearer, createKey, form, newUser, sample, tinyWav, type TestUser } from "../support/api";

const base = inject("baseUrl");

type ErrorBody = { error: { type: string; code: string; message: string; param?: string } };

describe("API keys: the security table for every metered route", () => {
  let alice: TestUser;
  let bob: TestUser;
  let good: string;
  let revoked: string;
  let expired: string;
  let readOnly: string;
  let vadOnly: string;

  beforeAll(async () => {
    alice = await newUser(base, "alice");
    bob = await newUser(base, "bob");
    good = (await createKey(base, alice)).key;
    const r = await createKey(base, alice, { name: "to revoke" });
    expect((await request(base, `/api/v1/keys/${r.id}`, { method: "DELETE", jar: alice.jar })).status).toBe(200);
    revoked = r.key;
    // Expiry must be in the future at creation: make a key that expires in 1.5 s, then wait.
    expired = (await createKey(base, alice, { name: "short-lived", expires_at: new Date(Date.now() + 1500).toISOString() })).key;
    readOnly = (await createKey(base, alice, { scopes: ["read", "usage:read"] })).key;
    vadOnly = (await createKey(base, alice, { scopes: ["inference", "task:vad"] })).key;
    await new Promise((r) => setTimeout(r, 1600));
  });

  const routes = [
    { name: "POST /api/v1/ocr", path: "/api/v1/ocr", body: () => form("image", sample("sign-en.png"), "sign.png") },
    { name: "POST /api/v1/vad", path: "/api/v1/vad", body: () => form("audio", tinyWav(), "a.wav") },
    { name: "GET /api/v1/usage", path: "/api/v1/usage", body: null },
  ];
  const cases: { name: string; auth: () => Record<string, string>; status: number; code: string }[] = [
    { name: "no key", auth: () => ({}), status: 401, code: "missing_api_key" },
    { name: "malformed key", auth: () => ({ authorization: "Bearer not-a-key" }), status: 401, code: "invalid_api_key" },
    { name: "wrong scheme", auth: () => ({ authorization: `Basic ${good}` }), status: 401, code: "invalid_api_key" },
    { name: "unknown key", auth: () => bearer(`pk_${"A".repeat(43)}`), status: 401, code: "invalid_api_key" },
    { name: "revoked key", auth: () => bearer(revoked), status: 401, code: "revoked_api_key" },
    { name: "expired key", auth: () => bearer(expired), status: 401, code: "expired_api_key" },
  ];

  for (const route of routes) {
    it.each(cases)(`${route.name}: $name → $status $code`, async ({ auth, status, code }) => {
      const res = await request(base, route.path, { method: route.body ? "POST" : "GET", headers: auth(), body: route.body?.() });
      expect(res.status).toBe(status);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.code).toBe(code);
      expect(body.error.type).toBe("authentication_error");
      expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    });
  }

  it("a read-only key may read usage but not run models (403)", async () => {
    expect((await request(base, "/api/v1/usage", { headers: bearer(readOnly) })).status).toBe(200);
    const res = await request(base, "/api/v1/vad", { method: "POST", headers: bearer(readOnly), body: form("audio", tinyWav(), "a.wav") });
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorBody).error.code).toBe("forbidden");
  });

  it("a key scoped to task:vad runs VAD but gets 403 on OCR", async () => {
    expect((await request(base, "/api/v1/vad", { method: "POST", headers: bearer(vadOnly), body: form("audio", tinyWav(), "a.wav") })).status).toBe(200);
    const res = await request(base, "/api/v1/ocr", { method: "POST", headers: bearer(vadOnly), body: form("image", sample("sign-en.png"), "s.png") });
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorBody).error).toMatchObject({ code: "forbidden", param: "model" });
  });

  it("a valid key works and revocation takes effect on the very next request", async () => {
    const k = await createKey(base, alice, { name: "revoke-now" });
    const call = () => request(base, "/api/v1/vad", { method: "POST", headers: bearer(k.key), body: form("audio", tinyWav(), "a.wav") });
    expect((await call()).status).toBe(200);
    await request(base, `/api/v1/keys/${k.id}`, { method: "DELETE", jar: alice.jar });
    const after = await call();
    expect(after.status).toBe(401);
    expect(((await after.json()) as ErrorBody).error.code).toBe("revoked_api_key");
  });

  it("rotation issues a working key and revokes the old one", async () => {
    const k = await createKey(base, alice, { name: "rotate-me", scopes: ["inference", "task:vad"] });
    const res = await request(base, `/api/v1/keys/${k.id}/rotate`, { method: "POST", jar: alice.jar });
    expect(res.status).toBe(201);
    const fresh = (await res.json()) as { key: string; id: string; name: string; scopes: string[]; rotated_from: string };
    expect(fresh).toMatchObject({ name: "rotate-me", scopes: ["inference", "task:vad"], rotated_from: k.id });
    expect((await request(base, "/api/v1/vad", { method: "POST", headers: bearer(fresh.key), body: form("audio", tinyWav(), "a.wav") })).status).toBe(200);
    expect((await request(base, "/api/v1/vad", { method: "POST", headers: bearer(k.key), body: form("audio", tinyWav(), "a.wav") })).status).toBe(401);
  });

  it("keys are shown once: listing and reading never include the key or its hash", async () => {
    const k = await createKey(base, alice, { name: "secret" });
    expect(k.key).toMatch(/^pk_[A-Za-z0-9_-]{43}$/);
    const list = await (await request(base, "/api/v1/keys", { jar: alice.jar })).text();
    const one = await (await request(base, `/api/v1/keys/${k.id}`, { jar: alice.jar })).text();
    for (const text of [list, one]) {
      expect(text).not.toContain(k.key);
      expect(text).not.toMatch(/[0-9a-f]{64}/); // no SHA-256 hex
    }
    expect(JSON.parse(one)).toMatchObject({ id: k.id, prefix: k.key.slice(0, 9), status: "active" });
  });

  it.each([
    { name: "read", method: "GET", path: (id: string) => `/api/v1/keys/${id}` },
    { name: "revoke", method: "DELETE", path: (id: string) => `/api/v1/keys/${id}` },
    { name: "rotate", method: "POST", path: (id: string) => `/api/v1/keys/${id}/rotate` },
  ])("another user's key id on $name → 404, and the key still works", async ({ method, path }) => {
    const k = await createKey(base, alice, { name: "alice-private" });
    const res = await request(base, path(k.id), { method, jar: bob.jar });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("alice-private");
    expect((await request(base, "/api/v1/vad", { method: "POST", headers: bearer(k.key), body: form("audio", tinyWav(), "a.wav") })).status).toBe(200);
  });

  it("bob's usage filter with alice's key id → 404, never alice's data", async () => {
    const k = await createKey(base, alice, { name: "for-filter" });
    const res = await request(base, `/api/v1/usage?key=${k.id}`, { jar: bob.jar });
    expect(res.status).toBe(404);
  });

  it("key management needs a signed-in session (a key cannot mint keys)", async () => {
    const res = await request(base, "/api/v1/keys", { method: "POST", headers: bearer(good), json: { name: "x" } });
    expect(res.status).toBe(401);
  });

  it.each([
    { body: {}, param: "name" },
    { body: { name: "" }, param: "name" },
    { body: { name: "x", scopes: ["admin"] }, param: "scopes.0" },
    { body: { name: "x", scopes: [] }, param: "scopes" },
    { body: { name: "x", expires_at: "yesterday" }, param: "expires_at" },
    { body: { name: "x", expires_at: "2001-01-01T00:00:00Z" }, param: "expires_at" },
    { body: { name: "x", requests_per_minute: -1 }, param: "requests_per_minute" },
    { body: { name: "x", owner: "someone-else" }, param: undefined },
  ])("key creation validation: $body → 422", async ({ body, param }) => {
    const res = await request(base, "/api/v1/keys", { method: "POST", jar: alice.jar, json: body });
    expect(res.status).toBe(422);
    const e = ((await res.json()) as ErrorBody).error;
    expect(e.code).toBe("validation_error");
    if (param) expect(e.param).toBe(param);
  });
});
