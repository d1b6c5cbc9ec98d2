import { describe, expect, it } from "vitest";
import { describeConditions } from "@/app/models/_components/conditions";
import { CATALOGS, translator } from "@/lib/i18n/config";

const en = translator(CATALOGS.en);
const zh = translator(CATALOGS.zh);

/** As lib/selection/runner.ts stores a latency figure's conditions. */
const latency = {
  mode: "quick",
  where: "server",
  evalSet: "tests/eval-data/ocr",
  subset: 8,
  of: 50,
  options: { detLimitSide: 960, useAngleCls: false },
  workers: 2,
  intraOpThreads: 1,
  batching: true,
  concurrency: 4,
  samples: 30,
  errors: 0,
  inputs: "eval subset, round-robin",
};

describe("benchmark conditions as readable text (model cards)", () => {
  it("English: the comparison first, no JSON", () => {
    expect(describeConditions(en, latency)).toBe(
      "concurrency 4 · 30 requests · 8 of 50 eval items · quick run · detLimitSide 960, useAngleCls false · 2 workers × 1 threads · batching on · on the server",
    );
  });

  it("Chinese", () => {
    expect(describeConditions(zh, latency)).toBe(
      "并发 4 · 30 次请求 · 50 个评测样本中的 8 个 · 快速测试 · detLimitSide 960, useAngleCls false · 2 个工作线程 × 1 个计算线程 · 批处理开启 · 在服务器上",
    );
  });

  it("static facts, failures and cold loads", () => {
    expect(describeConditions(en, { ops: [] })).toBe("no custom operators");
    expect(describeConditions(zh, { ops: ["com.microsoft:Foo"] })).toBe("自定义算子：com.microsoft:Foo");
    expect(describeConditions(en, { weights: [{ key: "ppocr-det", opset: 11, ops: 40 }] })).toBe("opset per file: ppocr-det 11");
    expect(describeConditions(en, { files: ["a", "b"] })).toBe("files: a, b");
    expect(describeConditions(en, { concurrency: 16, samples: 40, errors: 2 })).toBe("concurrency 16 · 40 requests · 2 failed");
    expect(describeConditions(zh, { cold: false, how: "RSS delta" })).toBe("非冷加载（模型正在使用）");
  });

  it("unknown keys stay visible; nothing at all is a dash", () => {
    expect(describeConditions(en, { threadsPinned: true })).toBe("threadsPinned: true");
    expect(describeConditions(en, null)).toBe("—");
    expect(describeConditions(zh, {})).toBe("—");
  });
});
