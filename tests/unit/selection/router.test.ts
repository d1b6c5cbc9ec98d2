import { describe, expect, it } from "vitest";
import { BALANCED_ACCURACY_PER_DOUBLING, queueWaitMs, route, type RouterModel } from "@/lib/selection/router";

/** A hand-made OCR table: fast/less accurate, a knee, slow/most accurate, and one dominated point. */
const TABLE: RouterModel[] = [
  { model: "fast", accuracy: 0.9, p95Ms: 50, serviceMs: 40, memoryMb: 100 },
  { model: "knee", accuracy: 0.97, p95Ms: 80, serviceMs: 60, memoryMb: 150 },
  { model: "best", accuracy: 0.98, p95Ms: 300, serviceMs: 250, memoryMb: 400 },
  { model: "dominated", accuracy: 0.95, p95Ms: 120, serviceMs: 100, memoryMb: 120 },
];
const base = { task: "ocr" as const, models: TABLE, defaultModel: "knee" };

describe("router", () => {
  it("fastest picks the lowest p95", () => {
    const r = route({ ...base, constraints: { objective: "fastest" } });
    expect(r.ok && r.model).toBe("fast");
  });

  it("most_accurate picks the highest accuracy", () => {
    const r = route({ ...base, constraints: { objective: "most_accurate" } });
    expect(r.ok && r.model).toBe("best");
  });

  it("balanced (the default) picks the knee: accuracy − 0.05·log2(p95 / fastest p95)", () => {
    const r = route({ ...base, constraints: {} });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.model).toBe("knee");
    const score = (a: number, p: number) => a - BALANCED_ACCURACY_PER_DOUBLING * Math.log2(p / 50);
    expect(score(0.97, 80)).toBeGreaterThan(score(0.9, 50));
    expect(score(0.97, 80)).toBeGreaterThan(score(0.98, 300));
    expect(r.reason).toMatch(/^balanced: knee/);
  });

  it("marks dominated variants ineligible and lists every candidate with its figures", () => {
    const r = route({ ...base, constraints: {} });
    const d = r.candidates.find((c) => c.model === "dominated")!;
    expect(d).toMatchObject({ eligible: false, violates: ["dominated"], p95_ms: 120, accuracy: 0.95, memory_mb: 120 });
    expect(r.candidates.filter((c) => c.eligible).map((c) => c.model).sort()).toEqual(["best", "fast", "knee"]);
  });

  it("applies constraints before choosing", () => {
    const r = route({ ...base, constraints: { objective: "most_accurate", max_latency_ms: 100 } });
    expect(r.ok && r.model).toBe("knee");
    expect(r.candidates.find((c) => c.model === "best")!.violates).toEqual(["max_latency_ms"]);
    const m = route({ ...base, constraints: { objective: "most_accurate", max_memory_mb: 120 } });
    expect(m.ok && m.model).toBe("dominated"); // dominated overall, but on the frontier of what fits in 120 MB
    const a = route({ ...base, constraints: { objective: "fastest", min_accuracy: 0.975 } });
    expect(a.ok && a.model).toBe("best");
  });

  it("infeasible → not ok, with the nearest alternatives and what each violates", () => {
    const r = route({ ...base, constraints: { max_latency_ms: 40, min_accuracy: 0.99 } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.nearest.length).toBeGreaterThan(0);
    expect(r.nearest.length).toBeLessThanOrEqual(3);
    // fast: 25 % over on latency + 9 % short on accuracy is the smallest summed shortfall.
    expect(r.nearest[0].model).toBe("fast");
    expect(r.nearest[0].violates).toEqual(["max_latency_ms", "min_accuracy"]);
    expect(r.reason).toContain("No ocr model satisfies p95 ≤ 40 ms, accuracy ≥ 0.99");
    expect(r.reason).toContain("fast (p95 50 ms > 40; accuracy 0.9 < 0.99)");
    expect(r.candidates.every((c) => !c.eligible)).toBe(true);
  });

  it("ties: identical figures stay eligible and the choice is deterministic (model id)", () => {
    const models: RouterModel[] = [
      { model: "b-twin", accuracy: 0.95, p95Ms: 60, serviceMs: 50, memoryMb: 100 },
      { model: "a-twin", accuracy: 0.95, p95Ms: 60, serviceMs: 50, memoryMb: 100 },
    ];
    for (const objective of ["fastest", "most_accurate", "balanced"] as const) {
      const r = route({ task: "vad", models, defaultModel: "b-twin", constraints: { objective } });
      expect(r.ok && r.model).toBe("a-twin");
      expect(r.candidates.every((c) => c.eligible)).toBe(true);
    }
    // Same accuracy, lower memory wins the fastest tie.
    const r = route({ task: "vad", models: [models[0], { ...models[1], memoryMb: 200 }], defaultModel: "b-twin", constraints: { objective: "fastest" } });
    expect(r.ok && r.model).toBe("b-twin");
  });

  it("no benchmarks → the task default, saying so", () => {
    const models = TABLE.map((m) => ({ ...m, accuracy: null, p95Ms: null, memoryMb: null }));
    const r = route({ task: "ocr", models, defaultModel: "knee", constraints: { max_latency_ms: 10 } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.model).toBe("knee");
    expect(r.measured).toBe(false);
    expect(r.reason).toMatch(/No benchmarks of ocr models on this host yet/);
    expect(r.reason).toMatch(/constraints could not be checked/);
    expect(r.candidates.every((c) => c.violates.includes("not_measured"))).toBe(true);
  });

  it("unmeasured, disabled and not-permitted variants are never chosen", () => {
    const models: RouterModel[] = [
      { ...TABLE[0], unavailable: "disabled" },
      { ...TABLE[1], unavailable: "not_allowed" },
      TABLE[2],
      { model: "new", accuracy: null, p95Ms: null, serviceMs: null, memoryMb: null },
    ];
    const r = route({ task: "ocr", models, defaultModel: "knee", constraints: { objective: "fastest" } });
    expect(r.ok && r.model).toBe("best");
    expect(r.candidates.find((c) => c.model === "fast")!.violates).toEqual(["disabled"]);
    expect(r.candidates.find((c) => c.model === "knee")!.violates).toEqual(["not_allowed"]);
    expect(r.candidates.find((c) => c.model === "new")!.violates).toEqual(["not_measured"]);
  });

  it("queue depth: expected p95 = measured p95 + Σ(queued + in flight) × service time / workers", () => {
    const queue = { workers: 2, models: [{ model: "knee", queued: 3, inFlight: 1, serviceMs: 60 }, { model: "best", queued: 0, inFlight: 2, serviceMs: 250 }] };
    expect(queueWaitMs(queue)).toBe((4 * 60 + 2 * 250) / 2); // 370 ms
    const r = route({ ...base, queue, constraints: { max_latency_ms: 430 } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.waitMs).toBe(370);
    expect(r.candidates.find((c) => c.model === "fast")!.p95_ms).toBe(420);
    expect(r.candidates.find((c) => c.model === "knee")!.violates).toEqual(["max_latency_ms"]); // 80 + 370 > 430
    expect(r.model).toBe("fast");
    expect(r.reason).toContain("370 ms queue wait");
    // The same bound without the backlog admits the knee.
    const idle = route({ ...base, constraints: { max_latency_ms: 430 } });
    expect(idle.ok && idle.model).toBe("knee");
  });
});
