import { describe, expect, it } from "vitest";
import { byLabelRoundRobin, parseTextEval, scoreText, textInputs, ACCURACY_CHUNK } from "@/lib/selection/text-eval";

const item = (label: string, got: string) => ({ label: got, score: 1, labels: [{ label: got, score: 1 }] });

describe("text eval sets", () => {
  it("scores accuracy and macro-F1 over the eval set's labels", () => {
    const items = [
      { text: "1", label: "a" },
      { text: "2", label: "a" },
      { text: "3", label: "b" },
      { text: "4", label: "b" },
    ];
    const [acc, f1] = scoreText(items, [item("a", "a"), item("a", "b"), item("b", "b"), item("b", "b")]);
    expect(acc).toEqual({ metric: "accuracy", value: 0.75, unit: "top1" });
    // a: tp 1, fn 1 → F1 2/3; b: tp 2, fp 1 → F1 4/5; mean 11/15.
    expect(f1.metric).toBe("macro_f1");
    expect(f1.value).toBeCloseTo(11 / 15, 10);
    expect(() => scoreText(items, [])).toThrow(/answers/);
  });

  it("takes subsets round-robin over labels, so every label is covered", () => {
    const all = [...Array(10)].map((_, i) => ({ text: `a${i}`, label: "a" })).concat([{ text: "b0", label: "b" }, { text: "c0", label: "c" }]);
    expect(byLabelRoundRobin(all, 3).map((x) => x.label)).toEqual(["a", "b", "c"]);
    expect(byLabelRoundRobin(all, undefined)).toHaveLength(12);
  });

  it("parses JSONL, naming the bad line, and chunks the accuracy pass", () => {
    expect(parseTextEval('{"text":"x","label":"a"}\n\n{"text":"y","label":"b"}\n')).toHaveLength(2);
    expect(() => parseTextEval('{"text":"x","label":"a"}\n{"text":1,"label":"b"}')).toThrow(/line 2/);
    const inputs = textInputs("t", [...Array(ACCURACY_CHUNK + 1)].map((_, i) => ({ text: `t${i}`, label: "a" })), undefined);
    expect(inputs.chunks.map((c) => c.from)).toEqual([0, ACCURACY_CHUNK]);
    expect(inputs.single).toHaveLength(ACCURACY_CHUNK + 1);
  });
});
