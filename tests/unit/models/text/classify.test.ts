import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { decodeTexts, encodeTexts, runClassify, topLabels } from "@/lib/models/text/classify";
import { featurize, type FeaturizerConfig } from "@/lib/models/text/featurize";
import { buildTextModel } from "@/lib/models/text/graph";
import type { TextModelSpec } from "@/lib/models/text/spec";
import type { Feeds, InferenceContext, Outputs } from "@/lib/models/tensor";

const FEAT: FeaturizerConfig = { buckets: 1024, char: [1, 3], word: [1, 2], maxFeatures: 512 };
const SPEC: TextModelSpec = { labels: ["a", "b", "c"], featurizer: FEAT, kind: "linear" };

/** Runs the graph in ONNX Runtime as a worker would, recording the feeds' shapes. */
function ortContext(bytes: Uint8Array, seen: number[][]): InferenceContext {
  let session: Promise<ort.InferenceSession> | null = null;
  return {
    async run(_key: string, feeds: Feeds): Promise<Outputs> {
      session ??= ort.InferenceSession.create(bytes);
      const s = await session;
      seen.push([...feeds.indices.dims]);
      const out = await s.run({ indices: new ort.Tensor("int64", feeds.indices.data as BigInt64Array, [...feeds.indices.dims]), values: new ort.Tensor("float32", feeds.values.data as Float32Array, [...feeds.values.dims]) });
      const p = out.probabilities;
      return { probabilities: { type: "float32", data: p.data as Float32Array, dims: p.dims } };
    },
  };
}

describe("text classification pipeline", () => {
  it("orders labels by score, ties by label order, and clamps top_k to the label count", () => {
    const probs = Float32Array.of(0.2, 0.5, 0.3, 0.4, 0.4, 0.2);
    const items = topLabels(probs, 2, ["a", "b", "c"], 5);
    expect(items[0].labels.map((l) => l.label)).toEqual(["b", "c", "a"]);
    expect(items[0]).toMatchObject({ label: "b" });
    expect(items[0].score).toBeCloseTo(0.5, 6);
    expect(items[1].labels.map((l) => l.label)).toEqual(["a", "b", "c"]);
    expect(topLabels(probs, 2, ["a", "b", "c"], 1)[0].labels).toHaveLength(1);
    expect(() => topLabels(probs, 3, ["a", "b", "c"], 1)).toThrow(/probabilities/);
  });

  it("round-trips texts to the worker and refuses what is not 1–256 strings", () => {
    expect(decodeTexts(encodeTexts(["héllo", "你好", ""]))).toEqual(["héllo", "你好", ""]);
    for (const bad of ["[]", "[1]", '"x"', JSON.stringify(Array(257).fill("a"))]) expect(() => decodeTexts(Buffer.from(bad))).toThrow(/input/);
  });

  it("gives the graph's probabilities, padding rows to a power of two that changes nothing", async () => {
    const W = Float32Array.from({ length: FEAT.buckets * 3 }, (_, i) => Math.sin(i * 12.9898) * 2);
    const b = Float32Array.of(0.1, -0.2, 0.05);
    const bytes = buildTextModel(SPEC, { kind: "linear", W, b });
    const texts = ["the quick brown fox", "日本語のテキスト", "x"];
    const seen: number[][] = [];
    const r = await runClassify(encodeTexts(texts), { key: "k", spec: SPEC }, { topK: 3 }, ortContext(bytes, seen));
    expect(seen[0][0]).toBe(3);
    const widest = Math.max(...texts.map((t) => featurize(t, FEAT).indices.length));
    expect(seen[0][1]).toBe(Math.max(32, 2 ** Math.ceil(Math.log2(widest)))); // padded from the widest row
    expect(r.chars).toBe(texts.join("").length);
    texts.forEach((t, i) => {
      const f = featurize(t, FEAT);
      const z = Array.from(b);
      f.indices.forEach((idx, j) => z.forEach((_, c) => (z[c] += f.values[j] * W[idx * 3 + c])));
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const sum = e.reduce((a, v) => a + v, 0);
      for (const l of r.items[i].labels) expect(l.score).toBeCloseTo(e[SPEC.labels.indexOf(l.label)] / sum, 5);
    });
  });
});
