import { describe, expect, it } from "vitest";
import { InputError } from "@/lib/models/tensor";
import { DEFAULT_VAD_OPTIONS, validateVadOptions } from "@/lib/models/vad/options";

function paramOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError && e.code === "invalid_option") return e.param ?? "(none)";
    throw e;
  }
  return undefined;
}

describe("validateVadOptions", () => {
  it("fills silero-vad's defaults, with negThreshold following threshold", () => {
    expect(validateVadOptions({})).toEqual({ ...DEFAULT_VAD_OPTIONS, negThreshold: 0.35 });
    expect(validateVadOptions({ threshold: 0.8 }).negThreshold).toBeCloseTo(0.65, 9);
    expect(validateVadOptions({ threshold: 0.1 }).negThreshold).toBe(0.01);
  });

  it("accepts in-range values and Infinity for maxSpeechS", () => {
    const o = validateVadOptions({ threshold: 0.3, negThreshold: 0.2, minSpeechMs: 0, maxSpeechS: Infinity });
    expect(o.maxSpeechS).toBe(Infinity);
    expect(validateVadOptions({ maxSpeechS: 5, returnProbabilities: true }).returnProbabilities).toBe(true);
  });

  it.each([
    [{ threshold: 1.5 }, "threshold"],
    [{ threshold: 0 }, "threshold"],
    [{ threshold: Number.NaN }, "threshold"],
    [{ threshold: "0.5" }, "threshold"],
    [{ threshold: 0.5, negThreshold: 0.6 }, "negThreshold"],
    [{ negThreshold: -0.1 }, "negThreshold"],
    [{ minSpeechMs: -1 }, "minSpeechMs"],
    [{ minSilenceMs: Infinity }, "minSilenceMs"],
    [{ speechPadMs: 1e6 }, "speechPadMs"],
    [{ maxSpeechS: 0 }, "maxSpeechS"],
    [{ maxSpeechS: 0.05 }, "maxSpeechS"], // shorter than one frame + 2 pads
    [{ maxSeconds: -5 }, "maxSeconds"],
    [{ maxSeconds: Infinity }, "maxSeconds"],
    [{ returnProbabilities: "yes" }, "returnProbabilities"],
    [{ min_speech_ms: 100 }, "min_speech_ms"],
  ])("refuses %j (param %s)", (options, param) => {
    expect(paramOf(() => validateVadOptions(options))).toBe(param);
  });

  it("refuses a non-object", () => {
    expect(paramOf(() => validateVadOptions(null))).toBe("(none)");
    expect(paramOf(() => validateVadOptions([1]))).toBe("(none)");
  });
});
