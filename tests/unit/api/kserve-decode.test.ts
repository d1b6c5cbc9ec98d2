import { describe, expect, it } from "vitest";
import { WEIGHT_SPECS } from "@/lib/models/catalog";
import { decodeTensorJson } from "@/lib/api/kserve/json-decode";
import { decodeKserveJson, OFF_THREAD_BYTES } from "@/lib/api/kserve/json-pool";
import { maxElements, maxKserveBodyBytes } from "@/lib/api/kserve/limits";
import { MAX_ELEMENTS } from "@/lib/api/schemas/kserve";

const frame = (data: string) => Buffer.from(`{"inputs":[{"name":"input","shape":[1,3],"datatype":"FP32","data":${data}},{"name":"sr","shape":[],"datatype":"INT64","data":[16000]}]}`);

describe("KServe JSON decoding", () => {
  it("packs FP32 data into a Float32Array and INT64 into a Float64Array", () => {
    const r = decodeTensorJson(frame("[0.5,-1,2e3]"), MAX_ELEMENTS);
    expect(r.ok).toBe(true);
    const inputs = (r as { body: { inputs: { data: unknown }[] } }).body.inputs;
    expect(inputs[0].data).toEqual(new Float32Array([0.5, -1, 2000]));
    expect(inputs[1].data).toEqual(new Float64Array([16000]));
  });

  it.each([
    ["[1,null,3]", /inputs\[0\]\.data\[1\]: data must be a flat/],
    ["[1,[2],3]", /inputs\[0\]\.data\[1\]/],
    ["[1,1e39,3]", /input "input" is FP32: 1e\+39 is out of range/],
    ["[1,1e999,3]", /inputs\[0\]\.data\[1\]/],
  ])("refuses data %s naming the element", (data, message) => {
    const r = decodeTensorJson(frame(data), MAX_ELEMENTS);
    expect(r).toMatchObject({ ok: false, code: "bad_request", message: expect.stringMatching(message) });
  });

  it("refuses bodies that are not JSON, too many elements, and large skeletons", () => {
    expect(decodeTensorJson(Buffer.from("{"), MAX_ELEMENTS)).toMatchObject({ ok: false, code: "invalid_json" });
    expect(decodeTensorJson(frame("[1,2,3]"), 2)).toMatchObject({ ok: false, message: expect.stringMatching(/too large: at most 2 elements/) });
    const wide = Buffer.from(JSON.stringify({ inputs: [], parameters: { x: new Array(20_000).fill(1) } }));
    expect(decodeTensorJson(wide, MAX_ELEMENTS)).toMatchObject({ ok: false, message: expect.stringMatching(/more than 10000 JSON values/) });
    const many = Buffer.from(JSON.stringify({ inputs: new Array(17).fill({}) }));
    expect(decodeTensorJson(many, MAX_ELEMENTS)).toMatchObject({ ok: false, param: "inputs" });
  });

  it("a large body is decoded in a worker thread with the same result as in place", async () => {
    const n = 100_000;
    const big = frame(`[${Array.from({ length: n }, (_, i) => (i / n).toFixed(6)).join(",")}]`.replace("[1,3]", `[1,${n}]`));
    expect(big.length).toBeGreaterThan(OFF_THREAD_BYTES);
    const bad = Buffer.concat([big.subarray(0, big.length - 3), Buffer.from("x]}")]);
    const here = decodeTensorJson(big, MAX_ELEMENTS);
    // The worker takes the Buffer (transferred, not copied).
    const off = await decodeKserveJson(big, MAX_ELEMENTS);
    expect(off.ok).toBe(true);
    expect(big.byteLength).toBe(0);
    expect((off as { body: unknown }).body).toEqual((here as { body: unknown }).body);
    expect(await decodeKserveJson(bad, MAX_ELEMENTS)).toMatchObject({ ok: false, code: "invalid_json" });
  });

  it("the body cap follows the weight's largest valid call", () => {
    const silero = WEIGHT_SPECS["silero-vad-v5"]!;
    // 64 streams × 4096 samples + 2 × 64 × 128 state + sr.
    expect(maxElements(silero)).toBe(64 * 4096 + 2 * 64 * 128 + 1);
    expect(maxKserveBodyBytes(silero)).toBeLessThan(10 * 1024 * 1024);
    expect(maxElements(WEIGHT_SPECS["ppocr-v4-det"]!)).toBe(MAX_ELEMENTS);
    expect(maxKserveBodyBytes(WEIGHT_SPECS["ppocr-v4-det"]!)).toBe(50 * 1024 * 1024);
  });
});
