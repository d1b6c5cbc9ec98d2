import { describe, expect, it } from "vitest";
import { concurrencyOf, keepLatest } from "@/lib/db/latest-figures";

const at = (min: number) => new Date(Date.UTC(2026, 0, 1, 0, min));

describe("latest figures per model", () => {
  it("keeps the newest row per (model, metric, concurrency), in any input order", () => {
    const rows = [
      { id: 1, modelId: "a", metric: "latency_p95_ms", conditions: { concurrency: 1, samples: 24 }, measuredAt: at(1) },
      { id: 2, modelId: "a", metric: "latency_p95_ms", conditions: { concurrency: 1, samples: 200 }, measuredAt: at(5) },
      { id: 3, modelId: "a", metric: "latency_p95_ms", conditions: { concurrency: 16 }, measuredAt: at(2) },
      { id: 4, modelId: "a", metric: "accuracy", conditions: { subset: 8 }, measuredAt: at(3) },
      { id: 5, modelId: "a", metric: "accuracy", conditions: { subset: 50 }, measuredAt: at(4) },
      { id: 6, modelId: "b", metric: "accuracy", conditions: null, measuredAt: at(0) },
    ];
    expect(keepLatest(rows).map((r) => r.id)).toEqual([2, 5, 3, 6]);
    expect(keepLatest([...rows].reverse()).map((r) => r.id)).toEqual([2, 5, 3, 6]);
  });

  it("reads the concurrency only from a numeric conditions.concurrency", () => {
    expect(concurrencyOf({ concurrency: 4 })).toBe(4);
    expect(concurrencyOf({ concurrency: "4" })).toBeNull();
    expect(concurrencyOf(null)).toBeNull();
    expect(concurrencyOf([1])).toBeNull();
    expect(keepLatest([])).toEqual([]);
  });
});
