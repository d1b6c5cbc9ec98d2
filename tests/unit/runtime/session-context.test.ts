import { afterAll, describe, expect, it } from "vitest";
import { float32, int64 } from "@/lib/models/tensor";
import { directContext } from "@/tests/support/direct-context";

const ctx = directContext();
afterAll(() => ctx.close());

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
  });
});
