import { describe, expect, it } from "vitest";
import { DEFAULT_OCR_OPTIONS, resolveOcrOptions, validateOcrOptions } from "@/lib/models/ocr/options";
import type { OcrOptions } from "@/lib/models/ocr/types";
import { InputError } from "@/lib/models/tensor";

function paramOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe("invalid_option");
    return (err as InputError).param;
  }
  return undefined;
}

describe("OCR options", () => {
  it("defaults are valid", () => {
    expect(() => validateOcrOptions({ ...DEFAULT_OCR_OPTIONS })).not.toThrow();
    expect(resolveOcrOptions({ detLimitSide: 640, maxPixels: undefined })).toMatchObject({ detLimitSide: 640, thresh: 0.3 });
  });

  const bad: [string, Partial<Record<keyof OcrOptions, unknown>>][] = [
    ["detLimitSide", { detLimitSide: 16 }],
    ["detLimitSide", { detLimitSide: 100000 }],
    ["detLimitSide", { detLimitSide: 640.5 }],
    ["detLimitSide", { detLimitSide: Number.NaN }],
    ["thresh", { thresh: 0 }],
    ["thresh", { thresh: 1.5 }],
    ["boxThresh", { boxThresh: -0.1 }],
    ["unclipRatio", { unclipRatio: 0 }],
    ["unclipRatio", { unclipRatio: 50 }],
    ["maxPixels", { maxPixels: 0 }],
    ["maxPixels", { maxPixels: 1e12 }],
    ["minScore", { minScore: 2 }],
    ["useAngleCls", { useAngleCls: "yes" }],
    ["thresh", { thresh: "0.3" }],
  ];
  it.each(bad)("rejects bad %s (%o) with invalid_option naming it", (param, patch) => {
    const opts = { ...DEFAULT_OCR_OPTIONS, ...patch } as OcrOptions;
    expect(paramOf(() => validateOcrOptions(opts))).toBe(param);
    expect(paramOf(() => resolveOcrOptions(patch as Partial<OcrOptions>))).toBe(param);
  });
});
