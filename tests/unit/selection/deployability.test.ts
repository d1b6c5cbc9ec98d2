import { describe, expect, it } from "vitest";
import { deployability, licenseScore, logScale, operatorScore } from "@/lib/selection/deployability";

describe("deployability score", () => {
  it("scores each part on its documented scale", () => {
    expect(logScale(5, 5, 500)).toBe(1);
    expect(logScale(500, 5, 500)).toBe(0);
    expect(logScale(50, 5, 500)).toBeCloseTo(0.5);
    expect(licenseScore("MIT")).toBe(1);
    expect(licenseScore("Apache-2.0")).toBe(1);
    expect(licenseScore("LGPL-3.0")).toBe(0.6);
    expect(licenseScore("GPL-3.0")).toBe(0.3);
    expect(licenseScore("proprietary")).toBe(0);
    expect(operatorScore(11, 0)).toBe(1);
    expect(operatorScore(19, 0)).toBe(0.8);
    expect(operatorScore(11, 3)).toBe(0.5);
  });

  it("is 100 for a tiny, fast, standard, permissive model", () => {
    const d = deployability({ fileSizeBytes: 2e6, coldLoadMs: 30, memoryMb: 10, opset: 16, customOps: 0, dynamicAxes: 4, license: "MIT" });
    expect(d.score).toBe(100);
    expect(d.parts.map((p) => p.name)).toEqual(["fileSize", "coldLoad", "memory", "operators", "dynamicAxes", "license"]);
  });

  it("leaves unmeasured parts out of the weighting instead of counting them as zero", () => {
    const d = deployability({ fileSizeBytes: 2e6, coldLoadMs: null, memoryMb: null, opset: null, customOps: null, dynamicAxes: null, license: "MIT" });
    expect(d.score).toBe(100);
    expect(d.parts.filter((p) => p.score === null).map((p) => p.name)).toEqual(["coldLoad", "memory", "operators", "dynamicAxes"]);
    expect(deployability({ fileSizeBytes: null, coldLoadMs: null, memoryMb: null, opset: null, customOps: null, dynamicAxes: null, license: null }).score).toBeNull();
  });

  it("weights: a 500 MB file alone costs 20 points", () => {
    const d = deployability({ fileSizeBytes: 500 * 1048576, coldLoadMs: 30, memoryMb: 10, opset: 16, customOps: 0, dynamicAxes: 4, license: "MIT" });
    expect(d.score).toBe(80);
  });
});
