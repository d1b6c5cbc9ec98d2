/**
 * Issue 11 item 3: a ~60 KB PNG may declare 40 MP (120 MB decoded, and far more for detection). Sixteen at once
 * must leave the server alive with its resident memory under PARETO_INFLIGHT_DECODE_MB + 512 MB: requests beyond
 * the budget of decoded bytes in flight get 503 `overloaded` with Retry-After instead of being decoded.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "../support/http";
import { adminJar, bearer, createKey, form, newUser, sample } from "../support/api";
import { blankPng } from "../support/hostile";
import { treeMemory } from "../support/proc";
import { freshDatabase, startServer, type RunningServer } from "../support/server";

const BUDGET_MB = 1024;
const admin = { email: "decode-admin@example.com", password: "decode-admin-password" };

describe("admission by decoded size", () => {
  let server: RunningServer;
  let drop: () => Promise<void>;
  let key: string;

  beforeAll(async () => {
    const fresh = await freshDatabase();
    drop = fresh.drop;
    server = await startServer(
      { DATABASE_URL: fresh.url, PARETO_INFLIGHT_DECODE_MB: String(BUDGET_MB), PARETO_ADMIN_EMAIL: admin.email, PARETO_ADMIN_PASSWORD: admin.password },
      { dataDir: fresh.dataDir },
    );
    const u = await newUser(server.url, "decode");
    const jar = await adminJar(server.url, admin.email, admin.password);
    // Enterprise: 32 concurrent requests, so the plan's own limit is not what stops the burst.
    expect((await request(server.url, `/api/v1/admin/users/${u.id}`, { method: "PATCH", jar, json: { plan: "Enterprise" } })).status).toBe(200);
    key = (await createKey(server.url, u)).key;
  });
  afterAll(async () => {
    await server?.stop();
    await drop?.();
  });

  it("16 concurrent 40 MP images, twice: the server stays up, RSS under the budget + 512 MB, the excess gets 503 overloaded", async () => {
    // 7744 × 5164 = 39,990,016 pixels: just under the default 40 MP cap. ~60 KB of PNG each.
    const png = blankPng(7744, 5164);
    expect(png.length).toBeLessThan(200_000);
    const before = treeMemory(server.proc.pid!);
    let peakSampled = before.rssMb;
    const sampler = setInterval(() => (peakSampled = Math.max(peakSampled, treeMemory(server.proc.pid!).rssMb)), 50);
    const burst = () =>
      Promise.all(
        Array.from({ length: 16 }, () =>
          request(server.url, "/api/v1/ocr", { method: "POST", headers: bearer(key), body: form("image", png, "big.png") }).then(async (r) => ({
            status: r.status,
            retryAfter: r.headers.get("retry-after"),
            text: await r.text(),
          })),
        ),
      );
    // Twice: memory the first burst leaves behind (allocator caches) must be reused, not added to.
    const results = [...(await burst()), ...(await burst())];
    clearInterval(sampler);
    const after = treeMemory(server.proc.pid!);
    const peak = Math.max(peakSampled, after.peakMb);
    console.log(`RSS before ${before.rssMb.toFixed(0)} MB, peak ${peak.toFixed(0)} MB (sampled ${peakSampled.toFixed(0)}, VmHWM ${after.peakMb.toFixed(0)}), after ${after.rssMb.toFixed(0)} MB; statuses ${results.map((r) => r.status).join(",")}`);

    expect(server.proc.exitCode).toBeNull();
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    for (const r of results) {
      expect([200, 503], r.text.slice(0, 300)).toContain(r.status);
      if (r.status === 503) {
        expect(JSON.parse(r.text)).toMatchObject({ error: { code: "overloaded" } });
        expect(Number(r.retryAfter)).toBeGreaterThan(0);
      }
    }
    expect(results.some((r) => r.status === 200)).toBe(true);
    expect(peak).toBeLessThan(BUDGET_MB + 512);
    // And it still serves ordinary work.
    expect((await request(server.url, "/api/v1/ocr", { method: "POST", headers: bearer(key), body: form("image", sample("sign-en.png"), "sign.png") })).status).toBe(200);
  });
});
