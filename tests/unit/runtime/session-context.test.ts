import { afterAll, describe, expect, it } from "vitest";
import { float32, int64 } from "@/lib/models/tensor";
import { weightPath, type WeightKey } from "@/lib/models/weights";
import { SessionContext } from "@/lib/runtime/session-context";
import { directContext } from "@/tests/support/direct-context";

const ctx = directContext();
const contexts = [ctx];
afterAll(() => Promise.all(contexts.map((c) => c.close())));

const detInput = (h: number, w: number) => ({ x: float32(new Float32Array(3 * h * w), [1, 3, h, w]) });

describe("SessionContext", () => {
  it("runs a real Silero v5 frame and returns its probability and next state", async () => {
    const out = await ctx.run("silero-vad-v5", {
      input: float32(new Float32Array(576), [1, 576]),
      state: float32(new Float32Array(2 * 128), [2, 1, 128]),
      sr: int64([16000], []),
    });
    const names = Object.keys(out).sort();
    expect(names).toEqual(["output", "stateN"]);
    const p = out.output.data[0] as number;
    expect(p).toBeGreaterThanOrEqual(0);
    expect(p).toBeLessThan(0.5); // silence
    expect(out.stateN.dims).toEqual([2, 1, 128]);
    expect(ctx.kinds("silero-vad-v5")).toEqual(["plain"]);
  });

  it("detection at the catalog's sizes runs on the arena session; a larger input gets a session without it", async () => {
    const c = new SessionContext({ resolvePath: (k) => weightPath(k as WeightKey), arena: true });
    contexts.push(c);
    // 960 × 960: the largest input at det_limit_side 960 (10.5 MiB), still the arena's.
    expect(c.kindFor("ppocr-v4-det", detInput(960, 960))).toBe("arena");
    expect(c.kindFor("ppocr-v4-det", detInput(1024, 1056))).toBe("plain");
    // Graphs the arena does not speed up never use it.
    expect(c.kindFor("ppocr-v4-rec", { x: float32(new Float32Array(3 * 48 * 320), [1, 3, 48, 320]) })).toBe("plain");

    await c.load("ppocr-v4-det");
    expect(c.kinds("ppocr-v4-det")).toEqual(["arena"]);
    const small = await c.run("ppocr-v4-det", detInput(96, 128));
    expect(small["sigmoid_0.tmp_0"].dims).toEqual([1, 1, 96, 128]);
    expect(c.kinds("ppocr-v4-det")).toEqual(["arena"]);
    const large = await c.run("ppocr-v4-det", detInput(1024, 1088));
    expect(large["sigmoid_0.tmp_0"].dims).toEqual([1, 1, 1024, 1088]);
    expect(c.kinds("ppocr-v4-det")).toEqual(["arena", "plain"]);
    await c.unload("ppocr-v4-det");
    expect(c.kinds("ppocr-v4-det")).toEqual([]);
  });

  it("with the arena turned off (PARETO_ORT_ARENA=0) no run uses it", async () => {
    const c = new SessionContext({ resolvePath: (k) => weightPath(k as WeightKey), arena: false });
    contexts.push(c);
    expect(c.kindFor("ppocr-v4-det", detInput(96, 128))).toBe("plain");
    await c.run("ppocr-v4-det", detInput(96, 128));
    expect(c.kinds("ppocr-v4-det")).toEqual(["plain"]);
  });
});
