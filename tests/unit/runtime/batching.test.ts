import { describe, expect, it } from "vitest";
import { Batcher, concat, split } from "@/lib/runtime/batching";
import { float32, int64, type Feeds, type InferenceContext, type Outputs, type Tensor } from "@/lib/models/tensor";
import { weightSpec } from "@/lib/models/catalog";
import { directContext } from "@/tests/support/direct-context";

const t = (data: number[], dims: number[]): Tensor => float32(Float32Array.from(data), dims);

describe("concat / split", () => {
  it("concatenates along axis 1 and splits back to the same tensors", () => {
    const a = t([1, 2, 3, 4], [2, 1, 2]);
    const b = t([5, 6, 7, 8, 9, 10, 11, 12], [2, 2, 2]);
    const c = concat([a, b], 1);
    expect(c.dims).toEqual([2, 3, 2]);
    expect(Array.from(c.data as Float32Array)).toEqual([1, 2, 5, 6, 7, 8, 3, 4, 9, 10, 11, 12]);
    const [a2, b2] = split(c, 1, [1, 2]);
    expect(a2).toEqual(a);
    expect(b2).toEqual(b);
  });
});

/** Records the batch sizes it is asked to run. */
class Recording implements InferenceContext {
  sizes: number[] = [];
  constructor(private readonly inner: InferenceContext) {}
  async run(key: string, feeds: Feeds): Promise<Outputs> {
    this.sizes.push(feeds.input.dims[0]);
    return this.inner.run(key, feeds);
  }
}

describe("Batcher on real Silero v5 frames", () => {
  const ctx = directContext();
  const frame = (seed: number) => Float32Array.from({ length: 576 }, (_, i) => Math.sin(i * 0.05 * (seed + 1)) * 0.3);
  const state = (seed: number) => Float32Array.from({ length: 256 }, (_, i) => ((i * 7 + seed) % 13) / 26 - 0.25);
  const feeds = (seed: number): Feeds => ({
    input: float32(frame(seed), [1, 576]),
    state: float32(state(seed), [2, 1, 128]),
    sr: int64([16000], []),
  });

  it("merges calls made in the same turn and returns exactly what unbatched runs return", async () => {
    const rec = new Recording(ctx);
    const batcher = new Batcher(rec, (k) => weightSpec(k as "silero-vad-v5")?.batching);
    const batched = await Promise.all([0, 1, 2, 3, 4].map((s) => batcher.submit("silero-vad-v5", feeds(s))));
    expect(rec.sizes).toEqual([5]);
    expect(batched.every((o) => o.batchSize === 5)).toBe(true);
    for (let s = 0; s < 5; s++) {
      const alone = await ctx.run("silero-vad-v5", feeds(s));
      const got = batched[s].outputs;
      expect(got.output.dims).toEqual([1, 1]);
      expect(got.stateN.dims).toEqual([2, 1, 128]);
      const a = Array.from(alone.output.data as Float32Array);
      const b = Array.from(got.output.data as Float32Array);
      b.forEach((v, i) => expect(v).toBeCloseTo(a[i], 5));
      const sa = alone.stateN.data as Float32Array;
      (got.stateN.data as Float32Array).forEach((v, i) => expect(v).toBeCloseTo(sa[i], 5));
    }
  });

  it("never merges calls whose unbatched inputs differ (sample rate)", async () => {
    const rec = new Recording(ctx);
    const batcher = new Batcher(rec, (k) => weightSpec(k as "silero-vad-v5")?.batching);
    const f8k: Feeds = { input: float32(new Float32Array(288), [1, 288]), state: float32(new Float32Array(256), [2, 1, 128]), sr: int64([8000], []) };
    await Promise.all([batcher.submit("silero-vad-v5", feeds(1)), batcher.submit("silero-vad-v5", f8k)]);
    expect(rec.sizes.sort()).toEqual([1, 1]);
  });

  it("runs every call alone when batching is off", async () => {
    const rec = new Recording(ctx);
    const batcher = new Batcher(rec, (k) => weightSpec(k as "silero-vad-v5")?.batching, false);
    await Promise.all([0, 1, 2].map((s) => batcher.submit("silero-vad-v5", feeds(s))));
    expect(rec.sizes).toEqual([1, 1, 1]);
  });
});
