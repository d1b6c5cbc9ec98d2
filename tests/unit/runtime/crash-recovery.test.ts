/**
 * The runtime with real worker threads that die at start (the worker bundle is missing from its root) and a model
 * load that a worker death interrupts: the pool backs off and reports itself down, models show FAILED with the
 * reason, and both recover on their own once workers can start.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Runtime, runtimeConfigFromEnv, type RuntimeConfig } from "@/lib/runtime";

const root = path.resolve(__dirname, "../../..");
const runtimes: Runtime[] = [];
const dirs: string[] = [];
function runtime(over: Partial<RuntimeConfig>): Runtime {
  const rt = new Runtime(runtimeConfigFromEnv({ root, workers: 1, ...over }));
  runtimes.push(rt);
  return rt;
}
afterAll(async () => {
  await Promise.all(runtimes.map((r) => r.close()));
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function until<T>(fn: () => T, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("workers that die at start", () => {
  it("back off, trip the breaker (every model FAILED, runs refused with the reason), and recover when the bundle is back", async () => {
    const fake = fs.mkdtempSync(path.join(os.tmpdir(), "pareto-rt-root-"));
    dirs.push(fake);
    fs.symlinkSync(path.join(root, "node_modules"), path.join(fake, "node_modules"));
    fs.symlinkSync(path.join(root, "models"), path.join(fake, "models"));
    fs.mkdirSync(path.join(fake, "build"));
    const rt = runtime({ root: fake, restartMaxMs: 400 });

    const failed = await until(
      () => rt.status(),
      (s) => s.every((m) => m.state === "FAILED"),
    );
    expect(failed.every((m) => m.state === "FAILED")).toBe(true);
    for (const m of failed) {
      expect(m.reason).toMatch(/inference workers keep dying at start \(\d+ times in a row; retrying with back-off\): Cannot find module 'build\/runtime-worker\.mjs'/);
      expect(m.reason).not.toContain(fake);
    }
    await expect(rt.run("silero-vad-v5", new Uint8Array(10))).rejects.toMatchObject({ code: "model_unavailable", retryAfterS: expect.any(Number) });
    const deaths = rt.workerCrashes;
    expect(deaths).toBeGreaterThanOrEqual(5);

    fs.copyFileSync(path.join(root, "build", "runtime-worker.mjs"), path.join(fake, "build", "runtime-worker.mjs"));
    const back = await until(
      () => rt.status(),
      (s) => s.every((m) => m.state !== "FAILED"),
    );
    expect(back.map((m) => m.state)).not.toContain("FAILED");
    await rt.load("silero-vad-v5");
    expect(rt.status().find((m) => m.id === "silero-vad-v5")?.state).toBe("READY");
  });
});

describe("a model whose load a worker death interrupted", () => {
  it("is FAILED with the reason, then retried with back-off and READY without anyone asking", async () => {
    const rt = runtime({ testHooks: true });
    const loading = rt.load("silero-vad-v4");
    rt.crashWorker(0);
    await expect(loading).rejects.toMatchObject({ code: "worker_crashed" });
    const st = rt.status().find((m) => m.id === "silero-vad-v4")!;
    expect(st.state).toBe("FAILED");
    expect(st.reason).toMatch(/inference worker/);
    // Until the retry is due, a request is told when to come back rather than waiting.
    await expect(rt.run("silero-vad-v4", new Uint8Array(10))).rejects.toMatchObject({ code: "model_unavailable", retryAfterS: 1 });
    const ready = await until(
      () => rt.status().find((m) => m.id === "silero-vad-v4")?.state,
      (s) => s === "READY",
    );
    expect(ready).toBe("READY");
  });
});
