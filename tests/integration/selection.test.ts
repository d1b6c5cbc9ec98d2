import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { adminJar, bearer, createKey, form, newUser, sample, tinyWav, waitFor, type TestUser } from "../support/api";
import { request, type CookieJar } from "../support/http";
import { ROOT } from "../support/server";

const base = inject("baseUrl");
// The runner test writes to the server's database from this process: point lib/db at it before it is imported.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.PARETO_DATA_DIR = inject("dataDir");

type Selection = { model: string; reason: string; candidates: { model: string; eligible: boolean; violates: string[]; p95_ms: number | null; accuracy: number | null }[] };
type ErrorBody = { error: { code: string; message: string; param?: string } };

describe("selection: runner, model=auto, benchmark API, promotion gate", () => {
  let user: TestUser;
  let key: string;
  let admin: CookieJar;
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    user = await newUser(base, "sel");
    key = (await createKey(base, user)).key;
    admin = await adminJar(base, inject("adminEmail"), inject("adminPassword"));
  });
  afterAll(async () => {
    for (const c of closers) await c();
  });

  it("the runner on a small real subset writes rows with this host's fingerprint", async () => {
    const { Runtime, runtimeConfigFromEnv } = await import("@/lib/runtime");
    const { runBenchmark } = await import("@/lib/selection/runner");
    const { currentHost } = await import("@/lib/selection/host");
    const { insertBenchmarkRows, latestFigures } = await import("@/lib/db/benchmarks");
    const { db, disconnectDb } = await import("@/lib/db/client");
    closers.push(disconnectDb);
    const rt = new Runtime(runtimeConfigFromEnv({ root: ROOT, workers: 1 }));
    const host = currentHost();
    const progress: string[] = [];
    try {
      const outcome = await runBenchmark({
        runtime: rt,
        models: ["silero-vad-v6"],
        mode: "quick",
        hostFingerprint: host.fingerprint,
        where: "cli",
        plan: { vadItems: 3, samples: { 1: 4, 4: 4, 16: 8 } },
        sink: { rows: (rows) => insertBenchmarkRows(null, host, rows), progress: async (p) => void progress.push(p.current?.step ?? "") },
      });
      expect(outcome.status).toBe("succeeded");
      expect(outcome.progress.models[0].steps.every((s) => s.status === "done")).toBe(true);
    } finally {
      await rt.close();
    }
    expect(progress).toEqual(expect.arrayContaining(["static", "load", "accuracy", "latency_c1", "latency_c4", "latency_c16"]));
    const rows = await latestFigures(host.fingerprint, ["silero-vad-v6"]);
    const metrics = new Set(rows.map((r) => r.metric));
    for (const m of ["accuracy", "f1", "precision", "recall", "latency_p50_ms", "latency_p95_ms", "latency_p99_ms", "throughput_rps", "cold_load_ms", "memory_peak_mb", "file_size_bytes", "opset", "dynamic_axes"]) {
      expect(metrics, m).toContain(m);
    }
    const p95 = rows.filter((r) => r.metric === "latency_p95_ms").map((r) => (r.conditions as { concurrency: number }).concurrency);
    expect(p95.sort((a, b) => a - b)).toEqual([1, 4, 16]);
    const acc = rows.find((r) => r.metric === "accuracy")!;
    expect(acc.value).toBeGreaterThan(0.5);
    expect(acc.conditions).toMatchObject({ subset: 3, of: 50, evalSet: "tests/eval-data/vad", mode: "quick" });
    const stored = await db().modelBenchmark.findFirst({ where: { modelId: "silero-vad-v6", metric: "accuracy" } });
    expect(stored!.hostFingerprint).toBe(host.fingerprint);
    expect(stored!.host).toMatchObject({ cores: host.host.cores, onnxruntime: host.host.onnxruntime, node: host.host.node });

    // The server (same machine, same Node and ORT) sees them as its own host's figures.
    // Written by this process, read by the server's: its benchmark table is cached for up to 5 s.
    type Frontier = { host: { fingerprint: string }; points: { model: string; on_frontier: boolean }[]; unmeasured: string[] };
    const f = await waitFor(
      async () => (await (await request(base, "/api/v1/selection/frontier?task=vad")).json()) as Frontier,
      (x) => x.points.length > 0,
      15_000,
    );
    expect(f.host.fingerprint).toBe(host.fingerprint);
    expect(f.points.map((p) => p.model)).toEqual(["silero-vad-v6"]);
    expect(f.points[0].on_frontier).toBe(true);
    expect(f.unmeasured.sort()).toEqual(["silero-vad-v4", "silero-vad-v5"]);
  });

  it("another host's figures are reported, never mixed in", async () => {
    const { insertBenchmarkRows } = await import("@/lib/db/benchmarks");
    const other = { fingerprint: "0ther0host00", host: { cpuModel: "Elsewhere CPU", cores: 64, memoryMb: 262144, onnxruntime: "1.0.0", node: "22.0.0", platform: "linux", arch: "arm64" } };
    await insertBenchmarkRows(null, other, [
      { modelId: "silero-vad-v4", metric: "accuracy", value: 0.99, unit: "f1", conditions: {} },
      { modelId: "silero-vad-v4", metric: "latency_p95_ms", value: 1, unit: "ms", conditions: { concurrency: 1 } },
    ]);
    const f = (await (await request(base, "/api/v1/selection/frontier?task=vad")).json()) as { points: { model: string }[]; other_hosts: { fingerprint: string; description: string }[] };
    expect(f.points.map((p) => p.model)).not.toContain("silero-vad-v4");
    expect(f.other_hosts).toEqual([expect.objectContaining({ fingerprint: "0ther0host00", description: expect.stringContaining("Elsewhere CPU · 64 cores") })]);
  });

  it("GET /api/v1/selection/frontier validates the task", async () => {
    const res = await request(base, "/api/v1/selection/frontier?task=asr");
    expect(res.status).toBe(422);
    expect(((await res.json()) as ErrorBody).error.param).toBe("task");
  });

  it("model=auto routes over HTTP: x-pareto-model header, selection body, a RoutingDecision row", async () => {
    const res = await request(base, "/api/v1/vad", { method: "POST", headers: bearer(key), body: form("audio", tinyWav(1), "a.wav", { model: "auto", objective: "fastest" }) });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-pareto-model")).toBe("silero-vad-v6");
    const body = (await res.json()) as { model: string; selection: Selection };
    expect(body.model).toBe("silero-vad-v6");
    expect(body.selection.model).toBe("silero-vad-v6");
    expect(body.selection.reason).toMatch(/^fastest: silero-vad-v6/);
    expect(body.selection.candidates.find((c) => c.model === "silero-vad-v5")).toMatchObject({ eligible: false, violates: ["not_measured"] });
    const { db } = await import("@/lib/db/client");
    const decision = await db().routingDecision.findUnique({ where: { requestId: res.headers.get("x-request-id")! } });
    expect(decision).toMatchObject({ userId: user.id, task: "vad", chosen: "silero-vad-v6", constraints: { objective: "fastest" } });
    // The reason is stored as catalog key + parameters too: it renders to the same English, and to Chinese.
    const { CATALOGS } = await import("@/lib/i18n/config");
    const { renderMessage } = await import("@/lib/i18n/message");
    expect(renderMessage(CATALOGS.en, decision!.reasonMessage)).toBe(decision!.reason);
    expect(renderMessage(CATALOGS.zh, decision!.reasonMessage)).toMatch(/^最快：silero-vad-v6 —— 准确率/);
  });

  it("model=auto with nothing measured for the task → the task default, saying so", async () => {
    const res = await request(base, "/api/v1/ocr", { method: "POST", headers: bearer(key), body: form("image", sample("sign-en.png"), "s.png", { model: "auto" }) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { model: string; selection: Selection };
    expect(res.headers.get("x-pareto-model")).toBe(body.model);
    expect(body.selection.reason).toMatch(/No benchmarks of ocr models on this host yet/);
  });

  it("an infeasible constraint → 422 no_model_satisfies naming the nearest alternative", async () => {
    const res = await request(base, "/api/v1/vad", { method: "POST", headers: bearer(key), body: form("audio", tinyWav(), "a.wav", { model: "auto", max_latency_ms: "0.001" }) });
    expect(res.status).toBe(422);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe("no_model_satisfies");
    expect(body.error.param).toBe("max_latency_ms");
    expect(body.error.message).toMatch(/No vad model satisfies p95 ≤ 0\.001 ms.*Nearest: silero-vad-v6 \(p95 [\d.]+ ms > 0\.001\)/);
  });

  it("constraints without model=auto are refused (422), not ignored", async () => {
    const res = await request(base, "/api/v1/vad", { method: "POST", headers: bearer(key), body: form("audio", tinyWav(), "a.wav", { model: "silero-vad-v5", min_accuracy: "0.9" }) });
    expect(res.status).toBe(422);
    expect(((await res.json()) as ErrorBody).error).toMatchObject({ code: "validation_error", param: "min_accuracy" });
  });

  it("admin benchmark API: start (202) → progress → succeeded; users are refused; a finished run can't be cancelled", async () => {
    expect((await request(base, "/api/v1/admin/benchmarks", { method: "POST", jar: user.jar, json: { mode: "quick" } })).status).toBe(403);
    const bad = await request(base, "/api/v1/admin/benchmarks", { method: "POST", jar: admin, json: { mode: "quick", models: ["nope"] } });
    expect(bad.status).toBe(404);
    const res = await request(base, "/api/v1/admin/benchmarks", { method: "POST", jar: admin, json: { mode: "quick", models: ["silero-vad-v4"] } });
    expect(res.status).toBe(202);
    const run = (await res.json()) as { id: string; status: string; models: { id: string }[] };
    expect(run.status).toBe("running");
    expect(run.models.map((m) => m.id)).toEqual(["silero-vad-v4"]);
    const busy = await request(base, "/api/v1/admin/benchmarks", { method: "POST", jar: admin, json: { mode: "quick" } });
    expect(busy.status).toBe(409);
    expect(((await busy.json()) as ErrorBody).error.code).toBe("benchmark_running");
    const done = await waitFor(
      async () => (await (await request(base, `/api/v1/admin/benchmarks/${run.id}`, { jar: admin })).json()) as { status: string; fraction_done: number; models: { steps: { status: string }[] }[] },
      (r) => r.status !== "running",
      90_000,
    );
    expect(done.status).toBe("succeeded");
    expect(done.fraction_done).toBe(1);
    expect(done.models[0].steps.every((s) => s.status === "done")).toBe(true);
    const cancel = await request(base, `/api/v1/admin/benchmarks/${run.id}/cancel`, { method: "POST", jar: admin });
    expect(cancel.status).toBe(409);
  });

  it("a benchmark run can be cancelled while it runs", async () => {
    const res = await request(base, "/api/v1/admin/benchmarks", { method: "POST", jar: admin, json: { mode: "full", models: ["silero-vad-v5", "silero-vad-v6"] } });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const cancel = await request(base, `/api/v1/admin/benchmarks/${id}/cancel`, { method: "POST", jar: admin });
    expect(cancel.status).toBe(200);
    const end = await waitFor(async () => (await (await request(base, `/api/v1/admin/benchmarks/${id}`, { jar: admin })).json()) as { status: string; models: { steps: { status: string }[] }[] }, (r) => r.status === "cancelled", 30_000);
    expect(end.status).toBe("cancelled");
    expect(end.models.flatMap((m) => m.steps).some((s) => s.status === "cancelled")).toBe(true);
  });

  it("promotion through the gate: a less accurate variant is refused (409) and audit-logged", async () => {
    const res = await request(base, "/api/v1/admin/models/silero-vad-v4/promote", { method: "POST", jar: admin });
    expect(res.status).toBe(409);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe("promotion_refused");
    expect(body.error.message).toMatch(/accuracy [\d.]+ is below the current default silero-vad-v5's/);
    const { db } = await import("@/lib/db/client");
    const audit = await db().auditLog.findFirst({ where: { action: "model.promote", targetId: "silero-vad-v4" }, orderBy: { createdAt: "desc" } });
    expect(audit?.details).toMatchObject({ outcome: "refused", previous: "silero-vad-v5" });
    const v5 = await db().model.findUnique({ where: { id: "silero-vad-v5" } });
    expect(v5?.isDefault).toBe(true);
    expect((await request(base, "/api/v1/admin/models/silero-vad-v4/promote", { method: "POST", jar: user.jar })).status).toBe(403);
  });
});
