import { beforeAll, describe, expect, inject, it } from "vitest";
import { request } from "../support/http";
import { adminJar, bearer, createKey, form, newUser, sample, tinyWav, waitFor } from "../support/api";
import type { CookieJar } from "../support/http";

const base = inject("baseUrl");

type Usage = { totals: { requests: number; errors: number }; quota: { requests: { used: number; reserved: number; limit: number } }; recent: { status: number }[] };

async function usage(jar: CookieJar, query = ""): Promise<Usage> {
  return (await (await request(base, `/api/v1/usage${query}`, { jar })).json()) as Usage;
}

describe("rate limits, quotas and usage events", () => {
  let admin: CookieJar;
  beforeAll(async () => {
    admin = await adminJar(base, inject("adminEmail"), inject("adminPassword"));
  });

  it("the (N+1)th request in a minute gets 429 with Retry-After and x-ratelimit-* headers", async () => {
    const u = await newUser(base, "rl");
    const { key } = await createKey(base, u, { requests_per_minute: 3 });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i++) {
      last = await request(base, "/api/v1/vad", { method: "POST", headers: bearer(key), body: form("audio", tinyWav(), "a.wav") });
      statuses.push(last.status);
      if (i < 3) {
        expect(last.headers.get("x-ratelimit-limit-requests")).toBe("3");
        expect(last.headers.get("x-ratelimit-remaining-requests")).toBe(String(2 - i));
      }
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(last!.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    expect(last!.headers.get("x-ratelimit-reset-requests")).toMatch(/^\d+s$/);
    const body = (await last!.json()) as { error: { type: string; code: string } };
    expect(body.error).toMatchObject({ type: "rate_limit_error", code: "rate_limited" });
  });

  it("200 concurrent requests against a quota of K: exactly K succeed, the rest get 402, nothing overspends", async () => {
    const K = 7;
    const u = await newUser(base, "quota");
    // Lift the plan's concurrency so only the quota decides (the test user is the only one on Enterprise).
    const plans = (await (await request(base, "/api/v1/admin/plans", { jar: admin })).json()) as { data: { id: string; name: string }[] };
    const ent = plans.data.find((p) => p.name === "Enterprise")!;
    expect((await request(base, `/api/v1/admin/plans/${ent.id}`, { method: "PATCH", jar: admin, json: { concurrent_requests: 1000 } })).status).toBe(200);
    expect((await request(base, `/api/v1/admin/users/${u.id}`, { method: "PATCH", jar: admin, json: { plan: "Enterprise" } })).status).toBe(200);
    const { key } = await createKey(base, u, { monthly_requests: K });
    const wav = tinyWav(0.3);
    const results = await Promise.all(
      Array.from({ length: 200 }, () => request(base, "/api/v1/vad", { method: "POST", headers: bearer(key), body: form("audio", wav, "a.wav") })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200).length).toBe(K);
    // Refused once used up (402 quota_exceeded) or, while the K in flight still hold the rest, 429 quota_held.
    const refusals = results.filter((r) => r.status !== 200);
    expect(refusals).toHaveLength(200 - K);
    for (const refused of refusals) {
      const e = (await refused.json()) as { error: { type: string; code: string; message: string } };
      if (refused.status === 402) {
        expect(e.error).toMatchObject({ type: "quota_error", code: "quota_exceeded" });
        expect(e.error.message).toMatch(/monthly_requests.*resets at \d{4}-\d{2}-01T00:00:00/);
      } else {
        expect(refused.status).toBe(429);
        expect(e.error).toMatchObject({ type: "rate_limit_error", code: "quota_held" });
        expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      }
      expect(refused.headers.get("x-quota-limit")).toBe("monthly_requests");
    }
    // Usage events: one per request, successful or refused (the usage reads themselves are not VAD requests).
    const report = await waitFor(() => usage(u.jar, "?model=silero-vad-v5"), (r) => r.totals.requests >= 200);
    expect(report.totals.requests).toBe(200);
    expect(report.totals.errors).toBe(200 - K);
    expect(report.quota.requests.used).toBe(K);
    expect(report.quota.requests.reserved).toBe(0);
  });

  it("plan edits apply to the very next request", async () => {
    const u = await newUser(base, "planedit");
    expect((await request(base, `/api/v1/admin/users/${u.id}`, { method: "PATCH", jar: admin, json: { plan: "Pro" } })).status).toBe(200);
    const plans = (await (await request(base, "/api/v1/admin/plans", { jar: admin })).json()) as { data: { id: string; name: string; monthly_requests: number }[] };
    const pro = plans.data.find((p) => p.name === "Pro")!;
    const { key } = await createKey(base, u);
    const call = () => request(base, "/api/v1/vad", { method: "POST", headers: bearer(key), body: form("audio", tinyWav(), "a.wav") });
    expect((await call()).headers.get("x-ratelimit-limit-requests")).toBe("300");
    await request(base, `/api/v1/admin/plans/${pro.id}`, { method: "PATCH", jar: admin, json: { requests_per_minute: 299 } });
    expect((await call()).headers.get("x-ratelimit-limit-requests")).toBe("299");
    await request(base, `/api/v1/admin/plans/${pro.id}`, { method: "PATCH", jar: admin, json: { requests_per_minute: 300 } });
  });

  it("a disabled user's keys stop working at once", async () => {
    const u = await newUser(base, "disabled");
    const { key } = await createKey(base, u);
    const call = () => request(base, "/api/v1/vad", { method: "POST", headers: bearer(key), body: form("audio", tinyWav(), "a.wav") });
    expect((await call()).status).toBe(200);
    expect((await request(base, `/api/v1/admin/users/${u.id}`, { method: "PATCH", jar: admin, json: { disabled: true } })).status).toBe(200);
    const res = await call();
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("account_disabled");
  });

  it("successful responses carry compute and quota headers, and the usage body matches", async () => {
    const u = await newUser(base, "hdr");
    const { key } = await createKey(base, u);
    const res = await request(base, "/api/v1/ocr", { method: "POST", headers: bearer(key), body: form("image", sample("sign-en.png"), "s.png") });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { usage: { compute_ms: number; units: number }; lines: { text: string }[] };
    expect(Number(res.headers.get("x-compute-ms"))).toBe(body.usage.compute_ms);
    expect(body.usage.compute_ms).toBeGreaterThan(0);
    expect(body.usage.units).toBe(1);
    expect(Number(res.headers.get("x-quota-remaining-compute-ms"))).toBeLessThan(600_000);
    expect(body.lines.map((l) => l.text)).toContain("Opening Hours");
  });

  it("the playground (a signed-in session, no key) is metered to the user the same way", async () => {
    const u = await newUser(base, "pg");
    const res = await request(base, "/api/v1/vad", { method: "POST", jar: u.jar, body: form("audio", tinyWav(), "a.wav") });
    expect(res.status).toBe(200);
    const report = await waitFor(() => usage(u.jar), (r) => r.totals.requests >= 1);
    expect(report.quota.requests.used).toBe(1);
  });

  it("a session call from another site is refused (CSRF)", async () => {
    const u = await newUser(base, "csrf");
    const res = await request(base, "/api/v1/vad", { method: "POST", jar: u.jar, headers: { origin: "https://evil.example" }, body: form("audio", tinyWav(), "a.wav") });
    expect(res.status).toBe(403);
  });
});
