import { describe, expect, it } from "vitest";
import { mean, median, orNull, quantile, quantiles, quantileSorted, sum, summarize } from "@/lib/stats";

describe("quantile (type 7: linear interpolation between closest ranks)", () => {
  it("matches R's quantile(type = 7) / numpy.quantile on known values", () => {
    const xs = [15, 20, 35, 40, 50];
    // R: quantile(c(15,20,35,40,50), c(0, .05, .3, .4, .5, .95, 1)) → 15 16 23 29 35 48 50
    expect(quantile(xs, 0)).toBe(15);
    expect(quantile(xs, 0.05)).toBeCloseTo(16, 12);
    expect(quantile(xs, 0.3)).toBeCloseTo(23, 12);
    expect(quantile(xs, 0.4)).toBeCloseTo(29, 12);
    expect(quantile(xs, 0.5)).toBe(35);
    expect(quantile(xs, 0.95)).toBeCloseTo(48, 12);
    expect(quantile(xs, 1)).toBe(50);
  });

  it("interpolates p95 of 1..100 to 95.05 (nearest-rank would give 95, floor(q·n) 96)", () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(quantile(xs, 0.95)).toBeCloseTo(95.05, 10);
    expect(quantile(xs, 0.5)).toBeCloseTo(50.5, 10);
  });

  it("sorts its input without changing it", () => {
    const xs = [3, 1, 2];
    expect(quantile(xs, 0.5)).toBe(2);
    expect(xs).toEqual([3, 1, 2]);
  });

  it("is NaN for no values, the value itself for one value", () => {
    expect(quantile([], 0.5)).toBeNaN();
    expect(quantileSorted([], 0.95)).toBeNaN();
    for (const q of [0, 0.5, 0.95, 1]) expect(quantile([7], q)).toBe(7);
  });

  it("handles ties: equal values give that value, wherever q falls", () => {
    expect(quantile([4, 4, 4, 4], 0.95)).toBe(4);
    expect(quantile([1, 2, 2, 2, 9], 0.5)).toBe(2);
    expect(quantile([1, 2, 2, 2, 9], 0.75)).toBe(2);
    expect(quantile([1, 2, 2, 2, 9], 0.875)).toBeCloseTo(5.5, 12);
  });

  it("refuses q outside [0, 1]", () => {
    expect(() => quantile([1, 2], 1.5)).toThrow(RangeError);
    expect(() => quantile([1, 2], -0.1)).toThrow(RangeError);
    expect(() => quantile([1, 2], Number.NaN)).toThrow(RangeError);
  });

  it("quantiles() sorts once and agrees with quantile()", () => {
    const xs = [9, 1, 5, 3, 7, 2];
    expect(quantiles(xs, [0.5, 0.95, 0.99])).toEqual([quantile(xs, 0.5), quantile(xs, 0.95), quantile(xs, 0.99)]);
  });
});

describe("mean, median, sum, summarize", () => {
  it("computes known values", () => {
    expect(sum([1, 2, 3.5])).toBe(6.5);
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(median([5, 1, 3, 2])).toBe(2.5);
  });

  it("empty input: sum 0, mean NaN, orNull maps NaN to null", () => {
    expect(sum([])).toBe(0);
    expect(mean([])).toBeNaN();
    expect(orNull(mean([]))).toBeNull();
    expect(orNull(0)).toBe(0);
  });

  it("summarize gives count, extremes and the module's percentiles", () => {
    const s = summarize([10, 20, 30, 40, 50]);
    expect(s).toEqual({ n: 5, mean: 30, p50: 30, p90: 46, p95: 48, p99: 49.6, min: 10, max: 50 });
    const e = summarize([]);
    expect(e.n).toBe(0);
    expect(e.p95).toBeNaN();
    expect(e.min).toBeNaN();
  });
});
