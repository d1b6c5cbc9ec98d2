/** Which limit refused a reservation, and whether it is used up or only held, from the refusing statement's figures. */
import { describe, expect, it } from "vitest";
import { refusal } from "@/lib/metering/quota";
import { estimateComputeMs, observeCost, probeTurn, resetCostModel } from "@/lib/metering/cost-model";

const cap = { subject: "user:u", userId: "u", monthlyRequests: 100, monthlyComputeMs: 2_000 };
const c = (usedRequests: number, reservedRequests: number, usedComputeMs: number, reservedComputeMs: number, leasedRequests = 0, leasedComputeMs = 0) => ({
  usedRequests,
  reservedRequests,
  usedComputeMs,
  reservedComputeMs,
  leasedRequests,
  leasedComputeMs,
});

describe("refusal()", () => {
  it("names compute when only compute is short, whatever the requests reserved", () => {
    const r = refusal(cap, c(10, 5, 1_900, 0), 300, "2026-11");
    expect(r).toMatchObject({ limit: "monthly_compute_ms", held: false, max: 2_000, used: 1_900, needed: 300 });
  });
  it("is held (not exhausted) when the in-flight reservations take the room the request needs", () => {
    const r = refusal(cap, c(10, 5, 500, 1_400), 300, "2026-11");
    expect(r).toMatchObject({ limit: "monthly_compute_ms", held: true, reserved: 1_400 });
    expect(r.retryAfterS).toBeGreaterThanOrEqual(1);
  });
  it("names requests when they are used up, and holds when reserved ones fill them", () => {
    expect(refusal(cap, c(100, 0, 0, 0), 1, "2026-11")).toMatchObject({ limit: "monthly_requests", held: false });
    expect(refusal(cap, c(97, 3, 0, 0), 1, "2026-11")).toMatchObject({ limit: "monthly_requests", held: true });
  });
  it("quota leased to instances holds (429), it is not exhausted (402), and is named with its own figure", () => {
    const r = refusal(cap, c(60, 0, 0, 0, 40, 500), 1, "2026-11");
    expect(r).toMatchObject({ limit: "monthly_requests", held: true, used: 60, reserved: 0, leased: 40 });
    expect(r.retryAfterS).toBeGreaterThanOrEqual(1);
    expect(refusal(cap, c(10, 0, 1_000, 0, 5, 1_000), 300, "2026-11")).toMatchObject({ limit: "monthly_compute_ms", held: true, leased: 1_000 });
    // Once written back, the same use is exhausted.
    expect(refusal(cap, c(100, 0, 0, 0, 0, 0), 1, "2026-11")).toMatchObject({ limit: "monthly_requests", held: false });
  });
  it("a request that exceeds what is left even with nothing in flight is not held", () => {
    expect(refusal(cap, c(0, 0, 1_500, 400), 600, "2026-11")).toMatchObject({ limit: "monthly_compute_ms", held: false });
  });
});

describe("cost model", () => {
  it("starts from a cautious default, then follows the input's size from what it measured", () => {
    resetCostModel();
    const cold = estimateComputeMs("vad|pipeline", { kind: "audio_s", units: 11 });
    expect(cold).toBeGreaterThanOrEqual(1_000);
    for (let i = 0; i < 20; i++) observeCost("vad|pipeline", { kind: "audio_s", units: 0.25 }, 4 + (i % 3));
    const short = estimateComputeMs("vad|pipeline", { kind: "audio_s", units: 0.25 });
    const long = estimateComputeMs("vad|pipeline", { kind: "audio_s", units: 33 });
    expect(short).toBeGreaterThanOrEqual(6);
    expect(short).toBeLessThan(20);
    // 132× the audio: far more than the short ones' mean, at least their per-second cost over the base.
    expect(long).toBeGreaterThan(100);
  });
  it("lets one request through at a time until it has measured one", async () => {
    resetCostModel();
    const first = await probeTurn("ocr|pipeline", "pixels");
    expect(first).not.toBeNull();
    let second: (() => void) | null | undefined;
    const waiting = probeTurn("ocr|pipeline", "pixels").then((d) => (second = d));
    await new Promise((r) => setTimeout(r, 20));
    expect(second).toBeUndefined();
    observeCost("ocr|pipeline", { kind: "pixels", units: 400_000 }, 500);
    first!();
    await waiting;
    expect(second).toBeNull();
  });
});
