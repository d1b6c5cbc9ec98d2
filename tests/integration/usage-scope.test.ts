/**
 * Issue 11 item 13: who may read an account's usage. `usage:read` is a scope of its own (`inference` no longer
 * implies it), and a key restricted to some models sees only its own requests — never other keys' names or traffic.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import { request } from "../support/http";
import { adminJar, bearer, createKey, form, newUser, tinyWav, waitFor, type TestUser } from "../support/api";
import { DirectDb } from "../support/infra";

const base = inject("baseUrl");

type Usage = { totals: { requests: number }; by_key: { key: string; requests: number }[]; keys: { id: string; name: string }[]; recent: { key: string | null }[] };

const OTHER_NAME = "other-service-secret-name";

describe("usage:read", () => {
  let user: TestUser;
  let other: { id: string; key: string };
  // Each case: the scopes its key is created with, and what it may read.
  const cases: { name: string; scopes?: string[]; usage: "account" | "own" | "forbidden"; infer: boolean }[] = [
    { name: "default scopes (inference, usage:read)", usage: "account", infer: true },
    { name: "inference alone", scopes: ["inference"], usage: "forbidden", infer: true },
    { name: "read alone", scopes: ["read"], usage: "forbidden", infer: false },
    { name: "usage:read alone", scopes: ["usage:read"], usage: "account", infer: false },
    { name: "inference + usage:read", scopes: ["inference", "usage:read"], usage: "account", infer: true },
    { name: "inference + usage:read, one model", scopes: ["inference", "usage:read", "model:silero-vad-v5"], usage: "own", infer: true },
    { name: "inference + usage:read, one task", scopes: ["inference", "usage:read", "task:vad"], usage: "own", infer: true },
    { name: "inference, one model (no usage:read)", scopes: ["inference", "model:silero-vad-v5"], usage: "forbidden", infer: true },
  ];
  const keys = new Map<string, { id: string; key: string }>();

  beforeAll(async () => {
    user = await newUser(base, "scope");
    // Pro's 300 requests a minute: eleven inferences, two to four usage reads per case and the waits for batched
    // events come close to Free's 30, and a slow machine's extra polls crossed it (CI saw a 429 on the last case).
    const admin = await adminJar(base, inject("adminEmail"), inject("adminPassword"));
    expect((await request(base, `/api/v1/admin/users/${user.id}`, { method: "PATCH", jar: admin, json: { plan: "Pro" } })).status).toBe(200);
    other = await createKey(base, user, { name: OTHER_NAME, scopes: ["inference"] });
    for (let i = 0; i < 3; i++) {
      const r = await request(base, "/api/v1/vad", { method: "POST", headers: bearer(other.key), body: form("audio", tinyWav(0.3), "a.wav") });
      expect(r.status).toBe(200);
    }
    for (const c of cases) keys.set(c.name, await createKey(base, user, { name: `case ${c.name}`, ...(c.scopes ? { scopes: c.scopes } : {}) }));
    // Usage events are written in batches: wait until the other key's three are stored (read from the database, so
    // the wait does not spend the user's per-minute request limit on /api/v1/usage).
    const db = new DirectDb(inject("databaseUrl"));
    try {
      const stored = async () => (await db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM "UsageEvent" WHERE "apiKeyId" = $1`, [other.id]))[0].n;
      expect(Number(await waitFor(stored, (n) => Number(n) >= 3))).toBe(3);
    } finally {
      await db.close();
    }
  });

  it.each(cases)("$name → usage $usage", async (c) => {
    const k = keys.get(c.name)!;
    const vad = await request(base, "/api/v1/vad", { method: "POST", headers: bearer(k.key), body: form("audio", tinyWav(0.3), "a.wav") });
    expect(vad.status).toBe(c.infer ? 200 : 403);

    // Usage events are written in batches (lib/metering/usage.ts): wait until this key's request is in.
    const own = async () => ((await (await request(base, "/api/v1/usage", { headers: bearer(k.key) })).json()) as Usage).by_key.length;
    if (c.usage === "own") await waitFor(own, (n) => n > 0);
    const res = await request(base, "/api/v1/usage", { headers: bearer(k.key) });
    const csv = await request(base, "/api/v1/usage/export.csv", { headers: bearer(k.key) });
    if (c.usage === "forbidden") {
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: "forbidden", message: expect.stringContaining("usage:read") });
      expect(csv.status).toBe(403);
      expect(await csv.text()).not.toContain(OTHER_NAME);
      return;
    }
    expect(res.status).toBe(200);
    const text = await res.text();
    const body = JSON.parse(text) as Usage;
    const csvText = await csv.text();
    expect(csv.status).toBe(200);
    if (c.usage === "account") {
      expect(text).toContain(OTHER_NAME);
      expect(body.by_key.find((b) => b.key === other.id)?.requests).toBe(3);
      expect(csvText).toContain(OTHER_NAME);
      return;
    }
    // Its own usage only: no other key's name, id or requests, in the report or the export.
    expect(text).not.toContain(OTHER_NAME);
    expect(text).not.toContain(other.id);
    expect(body.keys.map((x) => x.id)).toEqual([k.id]);
    expect(body.by_key.map((b) => b.key)).toEqual([k.id]);
    expect(body.totals.requests).toBeGreaterThanOrEqual(1);
    for (const r of body.recent) expect(r.key).toBe(k.id);
    expect(csvText).not.toContain(OTHER_NAME);
    expect(csvText.trim().split("\r\n").length).toBeGreaterThanOrEqual(2);
    // Asking for another key's usage by id is "no such key", not its data.
    const foreign = await request(base, `/api/v1/usage?key=${other.id}`, { headers: bearer(k.key) });
    expect(foreign.status).toBe(404);
    expect((await request(base, `/api/v1/usage/export.csv?key=${other.id}`, { headers: bearer(k.key) })).status).toBe(404);
  });

  it("the owner's browser session still reads the whole account", async () => {
    const res = await request(base, "/api/v1/usage", { jar: user.jar });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(OTHER_NAME);
  });

  it("creating a key with usage:read is accepted, an unknown permission is not", async () => {
    const ok = await request(base, "/api/v1/keys", { method: "POST", jar: user.jar, json: { name: "u", scopes: ["usage:read"] } });
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as { scopes: string[] }).scopes).toEqual(["usage:read"]);
    const bad = await request(base, "/api/v1/keys", { method: "POST", jar: user.jar, json: { name: "u", scopes: ["usage:write"] } });
    expect(bad.status).toBe(422);
    const restrictionOnly = await request(base, "/api/v1/keys", { method: "POST", jar: user.jar, json: { name: "u", scopes: ["model:silero-vad-v5"] } });
    expect(restrictionOnly.status).toBe(422);
  });
});
