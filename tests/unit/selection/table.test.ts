import { describe, expect, it } from "vitest";
import { buildTable, p95At } from "@/lib/selection/table";

const at = (min: number) => new Date(Date.UTC(2026, 0, 1, 0, min));

describe("benchmark table", () => {
  it("keeps the newest figure per (model, metric, concurrency) and files every metric", () => {
    const rows = [
      { modelId: "silero-vad-v5", metric: "latency_p95_ms", value: 12, conditions: { concurrency: 1, samples: 24, errors: 0 }, measuredAt: at(5) },
      { modelId: "silero-vad-v5", metric: "latency_p95_ms", value: 99, conditions: { concurrency: 1 }, measuredAt: at(1) },
      { modelId: "silero-vad-v5", metric: "latency_p95_ms", value: 40, conditions: { concurrency: 16 }, measuredAt: at(5) },
      { modelId: "silero-vad-v5", metric: "accuracy", value: 0.96, conditions: { subset: 8, of: 50 }, measuredAt: at(4) },
      { modelId: "silero-vad-v5", metric: "accuracy", value: 0.5, conditions: { subset: 50, of: 50 }, measuredAt: at(2) },
      { modelId: "silero-vad-v5", metric: "precision", value: 0.93, conditions: {}, measuredAt: at(4) },
      { modelId: "silero-vad-v5", metric: "memory_peak_mb", value: 15, conditions: {}, measuredAt: at(4) },
      { modelId: "silero-vad-v5", metric: "opset", value: 16, conditions: {}, measuredAt: at(4) },
      { modelId: "not-in-catalog", metric: "accuracy", value: 1, conditions: {}, measuredAt: at(4) },
    ];
    const t = buildTable(rows);
    expect([...t.keys()]).toEqual(["silero-vad-v5"]);
    const f = t.get("silero-vad-v5")!;
    expect(f.task).toBe("vad");
    expect(p95At(f, 1)).toBe(12);
    expect(p95At(f, 16)).toBe(40);
    expect(p95At(f, 4)).toBeNull();
    expect(f.latency[1]!.samples).toBe(24);
    expect(f.accuracy).toBe(0.96);
    expect(f.accuracyConditions).toEqual({ subset: 8, of: 50 });
    expect(f.detail).toEqual({ precision: 0.93 });
    expect(f.memoryPeakMb).toBe(15);
    expect(f.opset).toBe(16);
    expect(f.measuredAt).toBe(at(5).toISOString());
  });
});
