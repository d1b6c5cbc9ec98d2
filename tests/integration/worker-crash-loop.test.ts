/**
 * Inference workers that die at start (here: the worker bundle is missing, as after a broken deploy) are restarted
 * with exponential back-off, not ~14 times a second; after a few deaths in a row the crash-loop breaker marks the
 * models FAILED with the reason, so /api/ready says not ready; once the fault is gone the workers come back and the
 * model whose first load crashed is loaded again, without a restart or an admin.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request, type CookieJar } from "../support/http";
import { adminJar, bearer, createKey, form, newUser, tinyWav, waitFor } from "../support/api";
import { freshDatabase, ROOT, startServer, type RunningServer } from "../support/server";

const ADMIN = { email: "crash-loop-admin@example.com", password: "crash-loop-admin-password" };
const WORKERS = 2;
/** The server's longest wait between restarts (PARETO_WORKER_RESTART_MAX_MS), short so recovery is quick here. */
const MAX_RESTART_MS = 2_000;
/** The first restart waits 200 ms, each next one twice as long (lib/runtime/crash-loop.ts). */
const FIRST_RESTART_MS = 200;

type Ready = { status: string; checks?: { models: { id: string; state: string; reason?: string }[] } };

/**
 * A project root for PARETO_ROOT: `node_modules` and `models` are the real ones, `build/` holds the real build's files except the
 * worker bundle, which `restore` puts back.
 */
function rootWithoutWorkerBundle() {
  const fake = fs.mkdtempSync(path.join(os.tmpdir(), "pareto-root-"));
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(fake, "node_modules"));
  // The weights Pareto trained itself (the language identifier) live in the project, not in a package.
  fs.symlinkSync(path.join(ROOT, "models"), path.join(fake, "models"));
  fs.mkdirSync(path.join(fake, "build"));
  for (const f of fs.readdirSync(path.join(ROOT, "build"))) {
    if (f !== "runtime-worker.mjs") fs.symlinkSync(path.join(ROOT, "build", f), path.join(fake, "build", f));
  }
  return {
    dir: fake,
    restore: () => fs.copyFileSync(path.join(ROOT, "build", "runtime-worker.mjs"), path.join(fake, "build", "runtime-worker.mjs")),
  };
}

/** Upper bound on starts of one worker slot in `ms` under the back-off: 1 + every delay that fits in `ms`. */
function maxStartsPerSlot(ms: number): number {
  let starts = 1;
  for (let t = 0, d = FIRST_RESTART_MS; t <= ms; t += d, d = Math.min(MAX_RESTART_MS, d * 2)) starts++;
  return starts;
}

describe("inference workers that die at start", () => {
  let server: RunningServer;
  let root: ReturnType<typeof rootWithoutWorkerBundle>;
  let drop: () => Promise<void>;
  let admin: CookieJar;
  let startedAt: number;

  beforeAll(async () => {
    root = rootWithoutWorkerBundle();
    const db = await freshDatabase();
    drop = db.drop;
    startedAt = Date.now();
    server = await startServer(
      {
        DATABASE_URL: db.url,
        PARETO_ROOT: root.dir,
        PARETO_WORKERS: String(WORKERS),
        PARETO_WORKER_RESTART_MAX_MS: String(MAX_RESTART_MS),
        PARETO_ADMIN_EMAIL: ADMIN.email,
        PARETO_ADMIN_PASSWORD: ADMIN.password,
      },
      { dataDir: db.dataDir },
    );
    admin = await adminJar(server.url, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await server?.stop().catch(() => undefined);
    await drop?.();
    if (root) fs.rmSync(root.dir, { recursive: true, force: true });
  });

  const crashes = async () => {
    const text = await (await request(server.url, "/metrics", { jar: admin })).text();
    const line = text.split("\n").find((l) => l.startsWith("pareto_worker_crashes_total "));
    return Number(line?.split(" ").pop() ?? NaN);
  };

  it("are restarted with back-off: the number of deaths is bounded by the schedule, not by how fast a thread dies", async () => {
    // Observe for a while (the bound below is computed from the time that really passed, so a slow machine only
    // makes the server restart less often than the bound).
    await new Promise((r) => setTimeout(r, 6_000));
    const deaths = await crashes();
    const elapsed = Date.now() - startedAt;
    const bound = WORKERS * maxStartsPerSlot(elapsed);
    expect(deaths, `${deaths} worker deaths in ${elapsed} ms; the back-off allows at most ${bound}\n${server.logs().slice(-2000)}`).toBeLessThanOrEqual(bound);
    // …and they are still being retried (the fault could go away), just slowly.
    expect(deaths).toBeGreaterThanOrEqual(WORKERS);
    const later = await waitFor(crashes, (n) => n > deaths, 3 * MAX_RESTART_MS);
    expect(later).toBeGreaterThan(deaths);
  });

  it("trips the breaker: /api/ready is 503 not_ready, every model FAILED with the reason (no absolute path); inference is 503 at once", async () => {
    const pub = await request(server.url, "/api/ready");
    expect(pub.status).toBe(503);
    expect(((await pub.json()) as Ready).status).toBe("not_ready");

    const res = await request(server.url, "/api/ready", { jar: admin });
    const text = await res.text();
    expect(res.status).toBe(503);
    const body = JSON.parse(text) as Ready;
    expect(body.status).toBe("not_ready");
    expect(body.checks?.models.length).toBeGreaterThan(0);
    for (const m of body.checks!.models) {
      expect(m.state).toBe("FAILED");
      expect(m.reason).toMatch(/inference workers? .*(crash|die|start)/i);
      expect(m.reason).toMatch(/runtime-worker\.mjs/);
    }
    expect(text).not.toContain(root.dir);

    const key = (await createKey(server.url, await newUser(server.url, "crashloop"))).key;
    const vad = await request(server.url, "/api/v1/vad", { method: "POST", headers: bearer(key), body: form("audio", tinyWav(0.3), "a.wav") });
    expect(vad.status).toBe(503);
    expect(((await vad.json()) as { error: { code: string } }).error.code).toBe("model_unavailable");
    expect(Number(vad.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("recovers once the bundle is back: ready again, and the default model (whose first load crashed) serves", async () => {
    root.restore();
    const ready = await waitFor(
      async () => (await request(server.url, "/api/ready", { jar: admin })).status,
      (s) => s === 200,
      // The next restart is at most MAX_RESTART_MS away; then the model's own retry, also backed off.
      30_000,
    );
    expect(ready, server.logs().slice(-2000)).toBe(200);
    const key = (await createKey(server.url, await newUser(server.url, "recovered"))).key;
    const vad = await request(server.url, "/api/v1/vad", { method: "POST", headers: bearer(key), body: form("audio", tinyWav(0.3), "a.wav") });
    expect(vad.status).toBe(200);
    const body = (await (await request(server.url, "/api/ready", { jar: admin })).json()) as Ready;
    expect(body.checks?.models.find((m) => m.id === "silero-vad-v5")?.state).toBe("READY");
  });
});
