import { describe, expect, it } from "vitest";
import { CATALOGS } from "@/lib/i18n/config";
import { asMessage, renderMessage } from "@/lib/i18n/message";
import { route, type RouterModel } from "@/lib/selection/router";

const TABLE: RouterModel[] = [
  { model: "fast", accuracy: 0.9, p95Ms: 50, serviceMs: 40, memoryMb: 100 },
  { model: "knee", accuracy: 0.97, p95Ms: 80, serviceMs: 60, memoryMb: null },
  { model: "best", accuracy: 0.98, p95Ms: 300, serviceMs: 250, memoryMb: 400 },
];
const base = { task: "ocr" as const, models: TABLE, defaultModel: "knee" };
const busy = { workers: 2, models: [{ model: "fast", queued: 1, inFlight: 1, serviceMs: 10 }] };

const en = (m: unknown) => renderMessage(CATALOGS.en, m);
const zh = (m: unknown) => renderMessage(CATALOGS.zh, m);

describe("auto-selection reasons in both languages", () => {
  it("a refusal: English is the API's reason; Chinese names the same constraints, figures and nearest variants", () => {
    const r = route({ ...base, queue: busy, constraints: { max_latency_ms: 1, max_memory_mb: 200 } });
    expect(r.ok).toBe(false);
    expect(en(r.reasonMessage)).toBe(r.reason);
    expect(r.reason).toBe(
      "No ocr model satisfies p95 ≤ 1 ms, memory ≤ 200 MB on this host (with 10 ms of queue wait). Nearest: fast (p95 60 ms > 1), knee (p95 90 ms > 1; memory not measured), best (p95 310 ms > 1; memory 400 MB > 200).",
    );
    expect(zh(r.reasonMessage)).toBe(
      "本主机上没有满足 p95 ≤ 1 毫秒，内存 ≤ 200 MB 的 ocr 模型（含 10 毫秒排队等待）。最接近的：fast（p95 60 毫秒 > 1），knee（p95 90 毫秒 > 1；内存未测量），best（p95 310 毫秒 > 1；内存 400 MB > 200）。",
    );
  });

  it("a refusal with no nearest variant and no queue leaves those clauses out in both languages", () => {
    const r = route({ ...base, models: TABLE.map((m) => ({ ...m, unavailable: "disabled" as const })), constraints: { min_accuracy: 0.5 } });
    expect(r.reason).toBe("No ocr model satisfies accuracy ≥ 0.5 on this host.");
    expect(zh(r.reasonMessage)).toBe("本主机上没有满足 准确率 ≥ 0.5 的 ocr 模型。");
  });

  it("a choice: objective, figures, queue wait and score", () => {
    const r = route({ ...base, queue: busy, constraints: {} });
    expect(r.ok).toBe(true);
    expect(en(r.reasonMessage)).toBe(r.reason);
    expect(r.reason).toMatch(/^balanced: knee — accuracy 0\.97, expected p95 90 ms incl\. 10 ms queue wait, score [\d.]+; 3 of 3 measured variants satisfy no constraints, 3 on the frontier\.$/);
    expect(zh(r.reasonMessage)).toMatch(/^平衡：knee —— 准确率 0\.97，预期 p95 90 毫秒（含 10 毫秒排队等待），得分 [\d.]+；3 个已测变体中有 3 个满足 无约束条件，其中 3 个位于前沿。$/);
    const fastest = route({ ...base, constraints: { objective: "fastest", min_accuracy: 0.8 } });
    expect(fastest.reason).toBe("fastest: fast — accuracy 0.9, expected p95 50 ms; 3 of 3 measured variants satisfy accuracy ≥ 0.8, 3 on the frontier.");
    expect(zh(fastest.reasonMessage)).toBe("最快：fast —— 准确率 0.9，预期 p95 50 毫秒；3 个已测变体中有 3 个满足 准确率 ≥ 0.8，其中 3 个位于前沿。");
  });

  it("nothing measured: the task default, saying whether constraints could be checked", () => {
    const none = TABLE.map((m) => ({ ...m, accuracy: null, p95Ms: null }));
    const plain = route({ ...base, models: none, constraints: {} });
    expect(plain.reason).toBe("No benchmarks of ocr models on this host yet: using the task default knee. An admin can run a benchmark on the Selection page.");
    expect(zh(plain.reasonMessage)).toBe("本主机上还没有 ocr 模型的基准测试：使用任务默认模型 knee。管理员可以在“模型选择”页面运行基准测试。");
    const constrained = route({ ...base, models: none, constraints: { max_latency_ms: 5 } });
    expect(constrained.reason).toContain("knee (constraints could not be checked).");
    expect(zh(constrained.reasonMessage)).toContain("knee（无法检查约束条件）。");
  });

  it("Chinese renderings contain no English prose and no unfilled placeholders", () => {
    const cases = [
      route({ ...base, queue: busy, constraints: { max_latency_ms: 1, min_accuracy: 0.99, max_memory_mb: 1 } }),
      route({ ...base, constraints: { objective: "most_accurate" } }),
    ];
    for (const r of cases) {
      const text = zh(r.reasonMessage)!;
      expect(text).not.toMatch(/\{\w+\}|satisf|Nearest|accuracy|memory|queue|frontier/);
      expect(text).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it("stored messages survive a JSON round trip (the database column) and render the same", () => {
    const r = route({ ...base, queue: busy, constraints: { max_latency_ms: 1 } });
    const stored = JSON.parse(JSON.stringify(r.reasonMessage)) as unknown;
    expect(en(asMessage(stored))).toBe(r.reason);
  });

  it("malformed or foreign messages render as null, so callers fall back to the English text", () => {
    expect(en(null)).toBeNull();
    expect(en("text")).toBeNull();
    expect(en({ key: "selection.reason.nope" })).toBeNull();
    expect(en({ key: "nav.models" })).toBeNull(); // outside selection.reason.*: not renderable from data
    expect(en({ key: "selection.reason.candidate", params: { model: "a", violations: { list: [1], sep: "nav.models" } } })).toBeNull();
    expect(en({ key: "selection.reason.candidate", params: "x" })).toBeNull();
    expect(asMessage({ key: 1 })).toBeNull();
    expect(asMessage([])).toBeNull();
    expect(en({ key: "selection.reason.candidate", params: { model: "a", violations: { list: ["x", 2], sep: "selection.reason.sep.semicolon" } } })).toBe("a (x; 2)");
  });
});
