/**
 * Uploaded versions measured on arrival, end to end in this process: a real database (SQLite, or PostgreSQL with
 * PARETO_TEST_DATABASE_URL), the real worker-pool runtime and real models. An "uploaded" VAD model is the Silero v5
 * file under its hash; a tensor model is written here. Also: model=auto and the frontier with uploaded versions,
 * and usage per version across the retention roll-up.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openFreshDatabase, type OpenDatabase } from "../../support/fresh-db";
import { ROOT } from "../../support/server";
import { matmulAddSoftmax, matmulAddSoftmaxReference } from "../../support/onnx-builder";

const sha = (b: Buffer) => crypto.createHash("sha256").update(b).digest("hex");
let db: OpenDatabase;
let dataDir = "";

/** Stores bytes as an uploaded file would be (content-addressed under the data dir). */
function store(bytes: Buffer): string {
  const h = sha(bytes);
  fs.mkdirSync(path.join(dataDir, "models"), { recursive: true });
  fs.writeFileSync(path.join(dataDir, "models", h), bytes);
  return h;
}

beforeAll(async () => {
  process.env.PARETO_ROOT = ROOT;
  db = await openFreshDatabase();
  dataDir = db.dataDir;
  const { startRuntime } = await import("@/lib/runtime");
  startRuntime({ root: ROOT, workers: 1 });
}, 120_000);

afterAll(async () => {
  const { closeRuntime } = await import("@/lib/runtime");
  await closeRuntime();
  await db?.close();
});

const who = { createdById: null, createdByEmail: "ops@example.com" };

describe("measurement of uploaded versions", () => {
  it("an uploaded Silero v5 is measured, becomes ready, and scores exactly the built-in v5 on the same subset", async () => {
    const { createUploadedModel } = await import("@/lib/db/model-registry");
    const { WEIGHT_SPECS } = await import("@/lib/models/catalog");
    const { weightPath, uploadedKey } = await import("@/lib/models/weights");
    const bytes = fs.readFileSync(weightPath("silero-vad-v5", ROOT));
    const h = store(bytes);
    const key = uploadedKey(h);
    const spec = { ...WEIGHT_SPECS["silero-vad-v5"]!, key };
    await createUploadedModel(
      { id: "my-vad", task: "vad", family: "silero-vad", displayName: "My VAD", description: "", license: "MIT", source: "upload", sticky: false, ...who },
      {
        version: "1",
        files: [{ role: "model", key, sha256: h, bytes: bytes.length, name: "silero_vad_v5.onnx" }],
        signature: [{ role: "model", key, spec, irVersion: 8, producer: "pytorch", opset: 16, ops: [] }],
        options: { flavour: "v5" },
        status: "measuring",
        trafficPercent: 100,
        evalSha256: null,
        evalMetric: null,
        ...who,
      },
    );
    const { scheduleMeasurement, measurementSettled } = await import("@/lib/registry/measure");
    const { startBenchmark } = await import("@/lib/selection/jobs");
    // The built-in first, and the measurement asked for while it runs: it waits its turn, then runs.
    const builtIn = await startBenchmark({ mode: "quick", models: ["silero-vad-v5"], userId: null });
    scheduleMeasurement("my-vad", "1");
    const outcome = await builtIn.done;
    expect(outcome.errors).toEqual([]);
    expect(outcome.status).toBe("succeeded");
    await measurementSettled("my-vad", "1");

    const { findVersion } = await import("@/lib/db/model-registry");
    expect(await findVersion("my-vad", "1")).toMatchObject({ status: "ready", statusReason: null });
    // Settled before its run closed: an instance that waited for it finds nothing left to measure.
    const { startMeasurementRun } = await import("@/lib/selection/jobs");
    expect(await startMeasurementRun({ mode: "quick", models: ["my-vad@1"], userId: null, measuring: { modelId: "my-vad", version: "1" } })).toBeNull();
    const { loadTable, invalidateTable } = await import("@/lib/selection/service");
    invalidateTable();
    const table = await loadTable();
    const up = table.get("my-vad@1")!;
    const ref = table.get("silero-vad-v5")!;
    expect(up.task).toBe("vad");
    expect(up.accuracy).not.toBeNull();
    expect(up.accuracy).toBe(ref.accuracy);
    expect(up.detail).toEqual(ref.detail);
    expect(up.accuracyConditions).toMatchObject({ evalSet: ref.accuracyConditions!.evalSet, subset: ref.accuracyConditions!.subset });
    for (const c of [1, 4, 16]) expect(up.latency[c]?.p95, `p95 at c=${c}`).toBeGreaterThan(0);
    expect(up.coldLoadMs).not.toBeNull();
    expect(up.memoryPeakMb).not.toBeNull();
    expect(up.fileSizeBytes).toBe(bytes.length);
    expect(up.opset).toBe(16);

    // Stored under the model and its version; the built-in's rows keep a null version.
    const { latestFigures } = await import("@/lib/db/benchmarks");
    const { currentHost } = await import("@/lib/selection/host");
    const rows = await latestFigures(currentHost().fingerprint, ["my-vad", "silero-vad-v5"]);
    expect(new Set(rows.map((r) => `${r.model}|${r.version}`))).toEqual(new Set(["my-vad|1", "silero-vad-v5|null"]));

    // The frontier lists it, labelled `<name> · <version>`; its model card has per-version figures.
    const { frontierView } = await import("@/lib/selection/service");
    const point = (await frontierView("vad")).points.find((p) => p.model === "my-vad@1")!;
    expect(point).toMatchObject({ model_id: "my-vad", version: "1", built_in: false, label: "My VAD · 1", accuracy: ref.accuracy });
    const { versionFigures } = await import("@/lib/selection/version-figures");
    const vf = await versionFigures("my-vad");
    expect(vf.map((v) => [v.version, v.servableId, v.status, v.figures?.accuracy])).toEqual([["1", "my-vad@1", "ready", ref.accuracy]]);
  });

  it("model=auto picks the uploaded version when it alone meets the constraint, pinned", async () => {
    const { insertBenchmarkRows } = await import("@/lib/db/benchmarks");
    const { currentHost } = await import("@/lib/selection/host");
    const { loadTable, invalidateTable } = await import("@/lib/selection/service");
    const up = (await loadTable()).get("my-vad@1")!;
    // A newer, worse accuracy figure for the built-in (the latest figure wins): only the upload meets the floor.
    await insertBenchmarkRows(null, currentHost(), [{ modelId: "silero-vad-v5", metric: "accuracy", value: up.accuracy! - 0.1, unit: "f1", conditions: { ...up.accuracyConditions } }]);
    invalidateTable();
    const { chooseModel } = await import("@/lib/selection/auto");
    const choice = await chooseModel({ model: "auto", min_accuracy: up.accuracy! - 0.001 }, "vad", { requestId: "req_measure_auto", principal: { userId: "u_measure_test" } });
    expect(choice.entry).toMatchObject({ id: "my-vad@1", modelId: "my-vad", version: "1", builtIn: false });
    expect(choice.selection!.candidates.find((c) => c.model === "silero-vad-v5")!.violates).toContain("min_accuracy");
  });

  it("promoting the uploaded model makes it the task default through the gate (its most-trafficked version judged)", async () => {
    // Latency on a shared test host is noise: this checks the comparison and the outcome, not a latency margin.
    process.env.PARETO_GATE_LATENCY_TOLERANCE = "100";
    const { promoteModel } = await import("@/lib/selection/promote");
    const actor = { id: "u_measure_admin", email: "ops@example.com" } as Parameters<typeof promoteModel>[0];
    const p = await promoteModel(actor, "my-vad");
    expect(p).toMatchObject({ model: "my-vad", task: "vad", previousDefault: "silero-vad-v5", benchmarked: false });
    const { defaultModel } = await import("@/lib/selection/resolve");
    expect((await defaultModel("vad")).id).toBe("my-vad@1");
    // And back: the built-in is judged against the upload's version now in the default's place — and its accuracy
    // (lowered by the test above) no longer passes.
    await expect(promoteModel(actor, "silero-vad-v5")).rejects.toMatchObject({ code: "promotion_refused", message: expect.stringContaining("my-vad@1") });
    delete process.env.PARETO_GATE_LATENCY_TOLERANCE;
  });

  it("a tensor model with a labelled eval file gets an accuracy figure (argmax vs label)", async () => {
    const dense = { inputDim: 4, outputDim: 3, seed: 13 };
    const model = Buffer.from(matmulAddSoftmax(dense));
    const xs = Array.from({ length: 8 }, (_, i) => [i % 3, (i * 7) % 5, 1 - (i % 2), i / 4]);
    const argmax = (x: number[]) => {
      const y = [...matmulAddSoftmaxReference(dense, Float32Array.from(x), 1)];
      return y.indexOf(Math.max(...y));
    };
    // Six labels right, two wrong: accuracy 0.75.
    const lines = xs.map((x, i) => JSON.stringify({ inputs: { X: [x] }, label: i < 6 ? argmax(x) : (argmax(x) + 1) % 3 }));
    const evalBytes = Buffer.from(lines.join("\n") + "\n");
    const h = store(model);
    const e = store(evalBytes);
    const { uploadedKey } = await import("@/lib/models/weights");
    const key = uploadedKey(h);
    const spec = { key, inputs: [{ name: "X", datatype: "FP32", shape: [-1, 4] }], outputs: [{ name: "Y", datatype: "FP32", shape: [-1, 3] }] };
    const { createUploadedModel, findVersion } = await import("@/lib/db/model-registry");
    await createUploadedModel(
      { id: "tiny-cls", task: "tensor", family: "tensor", displayName: "Tiny classifier", description: "", license: "MIT", source: "upload", sticky: false, ...who },
      {
        version: "1",
        files: [{ role: "model", key, sha256: h, bytes: model.length, name: "tiny.onnx" }],
        signature: [{ role: "model", key, spec, irVersion: 8, producer: "pareto-tests", opset: 17, ops: ["Add", "MatMul", "Softmax"] }],
        options: {},
        status: "measuring",
        trafficPercent: 100,
        evalSha256: e,
        evalMetric: "accuracy",
        ...who,
      },
    );
    const { resumeMeasurements, measurementSettled } = await import("@/lib/registry/measure");
    // As at boot: the version left `measuring` with no figure is measured.
    expect(await resumeMeasurements()).toEqual(["tiny-cls@1"]);
    await measurementSettled("tiny-cls", "1");
    expect(await findVersion("tiny-cls", "1")).toMatchObject({ status: "ready", statusReason: null });
    const { loadTable, invalidateTable } = await import("@/lib/selection/service");
    invalidateTable();
    const f = (await loadTable()).get("tiny-cls@1")!;
    expect(f.task).toBe("tensor");
    expect(f.accuracy).toBe(0.75);
    expect(f.accuracyConditions).toMatchObject({ evalSet: `eval:${e.slice(0, 12)}`, subset: 8, of: 8, metric: "accuracy" });
    expect(f.latency[1]?.p95).toBeGreaterThan(0);
    expect(f.opset).toBe(17);

    // A second version whose eval file lacks the input: measured all the same (latency), servable, and says why.
    const bad = store(Buffer.from(JSON.stringify({ inputs: { Z: [[1, 2, 3, 4]] }, label: 0 }) + "\n"));
    const { addModelVersion } = await import("@/lib/db/model-registry");
    const { scheduleMeasurement } = await import("@/lib/registry/measure");
    await addModelVersion("tiny-cls", {
      version: "2",
      files: [{ role: "model", key, sha256: h, bytes: model.length, name: "tiny.onnx" }],
      signature: [{ role: "model", key, spec, irVersion: 8, producer: "pareto-tests", opset: 17, ops: ["Add", "MatMul", "Softmax"] }],
      options: {},
      status: "measuring",
      trafficPercent: 0,
      evalSha256: bad,
      evalMetric: "accuracy",
      ...who,
    });
    scheduleMeasurement("tiny-cls", "2");
    await measurementSettled("tiny-cls", "2");
    const v2 = await findVersion("tiny-cls", "2");
    expect(v2!.status).toBe("ready");
    expect(v2!.statusReason, String(v2!.statusReason)).toMatch(/^measurement failed: tiny-cls@2 accuracy: eval line 1: no input "X"/);
    invalidateTable();
    const f2 = (await loadTable()).get("tiny-cls@2")!;
    expect(f2.accuracy).toBeNull();
    expect(f2.latency[1]?.p95).toBeGreaterThan(0);
  });
});

describe("usage per model version", () => {
  it("groups requests, errors and latency by version, and keeps them through the retention roll-up", async () => {
    const { insertUsageEvents } = await import("@/lib/db/usage-events");
    const { rollUpUsageBefore } = await import("@/lib/db/usage-rollup");
    const { usageSummary } = await import("@/lib/db/usage");
    const day = 86_400_000;
    const now = Date.now();
    const ev = (i: number, version: string | null, status: number, latencyMs: number, ageDays: number) => ({
      requestId: `req_ver_${i}`,
      userId: null,
      apiKeyId: null,
      modelId: version === null ? "silero-vad-v5" : "my-vad",
      modelVersion: version,
      source: "api",
      route: "/api/v1/vad",
      method: "POST",
      status,
      errorCode: status >= 400 ? "internal_error" : null,
      latencyMs,
      computeMs: 1,
      units: 1,
      unitKind: "seconds",
      bytesIn: 0,
      bytesOut: 0,
      createdAt: new Date(now - ageDays * day),
    });
    await insertUsageEvents([
      // Old (rolled up below): version 1 twice (10 ms, 30 ms), version 2 once with an error.
      ev(1, "1", 200, 10, 10),
      ev(2, "1", 200, 30, 10),
      ev(3, "2", 500, 99, 10),
      // Recent (raw): version 1 once, version 2 twice, a built-in once.
      ev(4, "1", 200, 20, 0),
      ev(5, "2", 200, 40, 0),
      ev(6, "2", 200, 60, 0),
      ev(7, null, 200, 5, 0),
    ]);
    const range = { from: new Date(now - 30 * day), to: new Date(now + 1000) };
    const before = (await usageSummary(range)).byVersion;
    expect(await rollUpUsageBefore(new Date(now - 5 * day))).toBe(3);
    const after = (await usageSummary(range)).byVersion;
    const shape = (rows: typeof after) => rows.map((v) => ({ model: v.model, version: v.version, requests: v.requests, errors: v.errors, okRequests: v.okRequests, mean: v.meanLatencyMs }));
    const expected = [
      { model: "my-vad", version: "1", requests: 3, errors: 0, okRequests: 3, mean: 20 },
      { model: "my-vad", version: "2", requests: 3, errors: 1, okRequests: 2, mean: 50 },
    ];
    expect(shape(before)).toEqual(expected);
    expect(shape(after)).toEqual(expected);
    // Percentiles need the raw latencies: after the roll-up only the recent events count.
    expect(before.map((v) => v.p95LatencyMs)).toEqual([29, 59]);
    expect(after.map((v) => v.p95LatencyMs)).toEqual([20, 59]);
  });
});
