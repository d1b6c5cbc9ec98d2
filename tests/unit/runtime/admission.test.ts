import { afterEach, describe, expect, it } from "vitest";
import { catalogEntry } from "@/lib/models/catalog";
import { ocrPeakBytes } from "@/lib/models/memory-estimate";
import type { CatalogEntry } from "@/lib/models/catalog";
import { admitDecode, admitTensors, decodeBudgetStats, measureRequest } from "@/lib/runtime/admission";
import { blankPng, pngDeclaring } from "@/tests/support/hostile";
import { tinyWav } from "@/tests/support/api";

const ocr = catalogEntry("ppocr-v4-det960")!;
const vad = catalogEntry("silero-vad-v5")!;
const MB = 1024 * 1024;

/** What runMetered does: measure the header once (under the request's limits), then admit that size. */
async function admit(entry: CatalogEntry, input: Buffer, options: Record<string, unknown>) {
  return admitDecode(entry, await measureRequest(entry, input, options), options);
}

afterEach(() => {
  delete process.env.PARETO_INFLIGHT_DECODE_MB;
});

describe("admission by decoded size", () => {
  it("estimates from the header: a 40 MP image at det 960 vs 4096", () => {
    const size = { width: 7744, height: 5164, pixels: 7744 * 5164 };
    // Measured peaks were +251 MB and +1704 MB: the estimate must not be below them.
    expect(ocrPeakBytes(size, 960) / MB).toBeGreaterThan(251);
    expect(ocrPeakBytes(size, 4096) / MB).toBeGreaterThan(1704);
  });

  it("reserves until the budget is spent, refuses with overloaded + Retry-After, and frees on release", async () => {
    process.env.PARETO_INFLIGHT_DECODE_MB = "700";
    const big = blankPng(7744, 5164);
    const a = await admit(ocr, big, {});
    const b = await admit(ocr, big, {});
    expect(decodeBudgetStats()).toMatchObject({ inFlight: 2, inFlightBytes: a.bytes + b.bytes, limitBytes: 700 * MB });
    await expect(admit(ocr, big, {})).rejects.toMatchObject({ code: "overloaded", retryAfterS: 1 });
    a.release();
    a.release(); // idempotent
    const c = await admit(ocr, big, {});
    b.release();
    c.release();
    expect(decodeBudgetStats()).toMatchObject({ inFlight: 0, inFlightBytes: 0 });
  });

  it("an image that could never fit is the caller's input (422 image_too_large naming det_limit_side)", async () => {
    // ~1.9 GB at det 4096: more than a 1 GB budget could ever hold.
    process.env.PARETO_INFLIGHT_DECODE_MB = "1024";
    await expect(admit(ocr, blankPng(7744, 5164), { detLimitSide: 4096 })).rejects.toMatchObject({ code: "image_too_large", param: "detLimitSide" });
    expect(decodeBudgetStats().inFlight).toBe(0);
  });

  it("bad input fails with the pipeline's own error before any reservation; audio is sized by its samples", async () => {
    await expect(admit(ocr, pngDeclaring(20_000, 20_000), {})).rejects.toMatchObject({ code: "image_too_large" });
    await expect(admit(ocr, Buffer.from("nope"), {})).rejects.toMatchObject({ code: "unsupported_media_type" });
    const lease = await admit(vad, tinyWav(1), {});
    expect(lease.size).toMatchObject({ kind: "audio", seconds: 1 });
    lease.release();
    expect(decodeBudgetStats().inFlight).toBe(0);
  });

  it("KServe tensors share the budget: detection by its pixels, the rest by their size", () => {
    process.env.PARETO_INFLIGHT_DECODE_MB = "700";
    const det = [{ dims: [1, 3, 1600, 1600] }];
    const first = admitTensors("ppocr-v4-det", det);
    expect(first.bytes / MB).toBeGreaterThan(1600 * 1600 * 100 / MB);
    expect(() => admitTensors("ppocr-v4-det", det)).toThrow(expect.objectContaining({ code: "overloaded" }));
    const frame = admitTensors("silero-vad-v5", [{ dims: [1, 576] }, { dims: [2, 1, 128] }, { dims: [] }]);
    first.release();
    frame.release();
    process.env.PARETO_INFLIGHT_DECODE_MB = "64";
    expect(() => admitTensors("ppocr-v4-det", det)).toThrow(expect.objectContaining({ code: "invalid_option", param: "inputs" }));
    expect(decodeBudgetStats().inFlight).toBe(0);
  });
});
