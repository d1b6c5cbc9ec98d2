/**
 * Clients that hang up after uploading: work not started is dropped; work started keeps its concurrency slot until
 * the worker has really stopped, and is billed (a usage event with status 499 `client_closed_request` and its
 * compute). What the workers report running and spending (/metrics) is the ground truth.
 */
import http from "node:http";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "../support/http";
import { createKey, form, newUser, sample, waitFor, type TestUser } from "../support/api";
import { DirectDb } from "../support/infra";
import { freshDatabase, startServer, type RunningServer } from "../support/server";

const TOKEN = "client-abort-metrics-token-0123456789";

/** One series of the Prometheus text (0 when absent). */
async function metric(base: string, name: string): Promise<number> {
  const text = await (await request(base, "/metrics", { headers: { authorization: `Bearer ${TOKEN}` } })).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(" ").pop()) : 0;
}

/**
 * Sends the whole multipart body, then hangs up `afterMs` after the last byte left (unless the server answered
 * first, a 429 say). Resolves with the status when there was an answer, else "aborted".
 */
async function uploadThenAbort(base: string, key: string, fd: FormData, afterMs: number): Promise<number | "aborted"> {
  const encoded = new Request("http://x/", { method: "POST", body: fd });
  const body = Buffer.from(await encoded.arrayBuffer());
  const u = new URL("/api/v1/ocr", base);
  return new Promise((resolve) => {
    const req = http.request({
      host: u.hostname,
      port: u.port,
      path: u.pathname,
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": encoded.headers.get("content-type")!, "content-length": String(body.length) },
    });
    let answered = false;
    req.on("response", (res) => {
      answered = true;
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on("error", () => undefined);
    req.on("finish", () =>
      setTimeout(() => {
        if (answered) return;
        req.destroy();
        resolve("aborted");
      }, afterMs),
    );
    req.end(body);
  });
}

describe("clients that hang up after the upload", () => {
  let server: RunningServer;
  let drop: () => Promise<void>;
  let direct: DirectDb;
  let user: TestUser;
  let key: string;

  beforeAll(async () => {
    const fresh = await freshDatabase();
    drop = fresh.drop;
    // One worker: what it runs is what the runtime holds.
    server = await startServer({ DATABASE_URL: fresh.url, PARETO_WORKERS: "1", PARETO_METRICS_TOKEN: TOKEN }, { dataDir: fresh.dataDir });
    direct = new DirectDb(fresh.url);
    await newUser(server.url, "first"); // the first account becomes the admin
    user = await newUser(server.url, "abort"); // a user on the default Free plan: 2 requests at a time
    ({ key } = await createKey(server.url, user));
  });
  afterAll(async () => {
    await direct?.close();
    await server?.stop();
    await drop?.();
  });

  it("20 requests aborted after upload on a Free key: the workers never run more than 2, and what they spend is billed", async () => {
    // A large page with text: one detection run at 1920 px, then recognition runs, seconds of work on these cores.
    const page = await sharp(sample("sign-en.png")).resize(2400, 1680).png().toBuffer();
    const computeBefore = await metric(server.url, "pareto_worker_compute_seconds_total");
    const outcomes: (number | "aborted")[] = [];
    for (let i = 0; i < 20; i++) {
      outcomes.push(await uploadThenAbort(server.url, key, form("image", page, "page.png", { det_limit_side: "1920" }), 150));
      await new Promise((r) => setTimeout(r, 50));
    }
    const hist = outcomes.reduce<Record<string, number>>((h, o) => ((h[String(o)] = (h[String(o)] ?? 0) + 1), h), {});
    expect(outcomes.filter((o) => o === "aborted").length, JSON.stringify(hist)).toBeGreaterThan(0);

    // Every request ends (a usage event each), and the workers go idle.
    const events = await waitFor(
      () => direct.query<{ status: number; errorCode: string | null; computeMs: number }>(`SELECT "status", "errorCode", "computeMs" FROM "UsageEvent" WHERE "userId" = $1`, [user.id]),
      (rows) => rows.length >= 20,
      120_000,
    );
    expect(events.length, JSON.stringify(hist)).toBe(20);
    await waitFor(() => metric(server.url, "pareto_worker_requests_running"), (n) => n === 0, 60_000);

    const peak = await metric(server.url, "pareto_worker_requests_running_peak");
    expect(peak, JSON.stringify(hist)).toBeGreaterThan(0);
    expect(peak, JSON.stringify(hist)).toBeLessThanOrEqual(2);

    const aborted = events.filter((e) => Number(e.status) === 499);
    expect(aborted.length, JSON.stringify(events)).toBeGreaterThan(0);
    expect(aborted.every((e) => e.errorCode === "client_closed_request")).toBe(true);
    expect(aborted.some((e) => Number(e.computeMs) > 0)).toBe(true);

    const workerMs = ((await metric(server.url, "pareto_worker_compute_seconds_total")) - computeBefore) * 1000;
    const [c] = await direct.query<{ usedComputeMs: number; reservedComputeMs: number }>(`SELECT "usedComputeMs", "reservedComputeMs" FROM "QuotaCounter" WHERE "subject" = $1`, [`user:${user.id}`]);
    const billed = Number(c?.usedComputeMs ?? 0);
    expect(workerMs).toBeGreaterThan(0);
    // Rounded to 0.01 ms per request when billed.
    expect(billed, `billed ${billed} ms, workers spent ${workerMs} ms`).toBeGreaterThanOrEqual(workerMs - 0.01 * 20);
    expect(Number(c?.reservedComputeMs ?? 0)).toBe(0);
    const eventsMs = events.reduce((s, e) => s + Number(e.computeMs), 0);
    expect(Math.abs(eventsMs - billed)).toBeLessThan(0.01 * 20 + 0.01);
  });
});
