import fs from "node:fs";
import { createRequire } from "node:module";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError, type Feeds, type InferenceContext, type InputErrorCode } from "@/lib/models/tensor";
import { runVad, runVadSamples, sileroModel, speechProbabilities, type VadFlavour, type VadResult, type VadVersion } from "@/lib/models/vad";
import { weightPath } from "@/lib/models/weights";
import { directContext } from "@/tests/support/direct-context";
import {
  buildClip,
  encodeWav,
  maxBoundaryError,
  referenceResample,
  RATE,
  type EncodeOptions,
  type Interval,
} from "@/tests/unit/vad/helpers";

const ctx = directContext();
afterAll(() => ctx.close());

const VERSIONS: VadVersion[] = ["v4", "v5", "v6"];
const TOLERANCE_S = 0.1;

let clip: Float32Array;
let truth: Interval[];
beforeAll(() => {
  ({ samples: clip, truth } = buildClip());
});

async function codeOf(p: Promise<unknown>): Promise<InputErrorCode | "no error"> {
  try {
    await p;
    return "no error";
  } catch (e) {
    if (e instanceof InputError) return e.code;
    throw e;
  }
}

/** Passes calls through while checking each one is a self-contained batch-1 call, as the runtime requires. */
function checkingContext(version: VadVersion, calls: { n: number }): InferenceContext {
  const stateful = version !== "v4";
  return {
    run(key: string, feeds: Feeds) {
      calls.n++;
      expect(key).toBe(`silero-vad-${version}`);
      expect(feeds.input.dims).toEqual([1, stateful ? 576 : 512]);
      expect(feeds.sr.type).toBe("int64");
      expect(feeds.sr.dims).toEqual([]);
      expect(feeds.sr.data[0]).toBe(16000n);
      if (stateful) expect(feeds.state.dims).toEqual([2, 1, 128]);
      else {
        expect(feeds.h.dims).toEqual([2, 1, 64]);
        expect(feeds.c.dims).toEqual([2, 1, 64]);
      }
      return ctx.run(key, feeds);
    },
  };
}

describe("runVad on a clip with known speech", () => {
  it.each(VERSIONS)("%s finds both utterances within 100 ms", async (version) => {
    const calls = { n: 0 };
    const r = await runVad(encodeWav(clip, { rate: RATE, format: "s16" }), sileroModel(version), {}, checkingContext(version, calls));
    expect(r.segments).toHaveLength(2);
    expect(maxBoundaryError(r.segments, truth)).toBeLessThanOrEqual(TOLERANCE_S);
    expect(calls.n).toBe(Math.ceil(clip.length / 512));
    expect(r.sampleRate).toBe(RATE);
    expect(r.durationS).toBeCloseTo(clip.length / RATE, 3);
    expect(r.probabilities).toBeUndefined();
    expect(r.timings.inferMs).toBeGreaterThan(0);
    expect(r.timings.totalMs).toBeGreaterThanOrEqual(r.timings.inferMs);
  });

  it("returns per-frame probabilities on request", async () => {
    const r = await runVad(encodeWav(clip, { rate: RATE, format: "s16" }), sileroModel("v5"), { returnProbabilities: true }, ctx);
    const p = r.probabilities ?? [];
    expect(p).toHaveLength(Math.ceil(clip.length / 512));
    const at = (t: number) => p[Math.floor((t * RATE) / 512)];
    expect(at(0.5)).toBeLessThan(0.1);
    expect(at((truth[0].start + truth[0].end) / 2)).toBeGreaterThan(0.5);
    expect(Math.min(...p)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...p)).toBeLessThanOrEqual(1);
  });
});

describe("runVad across encodings (v5)", () => {
  let reference: VadResult;
  beforeAll(async () => {
    reference = await runVad(encodeWav(clip, { rate: RATE, format: "s16" }), sileroModel("v5"), {}, ctx);
  });

  const resampled = (rate: number) => () => referenceResample(clip, RATE, rate);
  const cases: [string, EncodeOptions, (() => Float32Array)?][] = [
    ["8-bit unsigned PCM", { rate: RATE, format: "u8" }],
    ["24-bit PCM", { rate: RATE, format: "s24" }],
    ["32-bit PCM", { rate: RATE, format: "s32" }],
    ["32-bit float", { rate: RATE, format: "f32" }],
    ["64-bit float", { rate: RATE, format: "f64" }],
    ["16-bit stereo", { rate: RATE, format: "s16", channels: 2 }],
    ["float stereo, WAVE_FORMAT_EXTENSIBLE", { rate: RATE, format: "f32", channels: 2, extensible: true }],
    ["44.1 kHz 16-bit", { rate: 44100, format: "s16" }, resampled(44100)],
    ["48 kHz float", { rate: 48000, format: "f32" }, resampled(48000)],
    ["8 kHz 16-bit (upsampled to 16 kHz)", { rate: 8000, format: "s16" }, resampled(8000)],
  ];
  it.each(cases)("%s gives the same segments", async (_name, enc, make) => {
    const samples = make ? make() : clip;
    // Stereo test files carry 0.5x / 1.5x copies; scale down so the louder channel does not clip.
    const input = enc.channels === 2 ? samples.map((v) => v * 0.6) : samples;
    const r = await runVad(encodeWav(input, enc), sileroModel("v5"), {}, ctx);
    expect(r.sampleRate).toBe(enc.rate);
    expect(r.segments).toHaveLength(2);
    expect(maxBoundaryError(r.segments, truth)).toBeLessThanOrEqual(TOLERANCE_S);
    // Two frames (64 ms) of slack against the native 16 kHz run.
    expect(maxBoundaryError(r.segments, reference.segments)).toBeLessThanOrEqual(0.065);
  });
});

interface VadWebModel {
  process(frame: Float32Array): Promise<{ isSpeech: number }>;
}
interface VadWebModels {
  SileroLegacy: { new: (o: typeof ort, f: () => Promise<ArrayBuffer>) => Promise<VadWebModel> };
  Silero: { new: (o: typeof ort, f: () => Promise<ArrayBuffer>) => Promise<VadWebModel> };
}

describe("model runners", () => {
  // @ricky0123/vad-web's own wrappers (v4: h/c state; v5/v6: state + 64-sample context, as in silero-vad's
  // OnnxWrapper) run on onnxruntime-node as an independent oracle for state handling.
  const models = createRequire(import.meta.url)("@ricky0123/vad-web/dist/models") as VadWebModels;

  it.each(VERSIONS)("%s matches @ricky0123/vad-web's wrapper frame for frame", async (version) => {
    const x = clip.subarray(0, 5 * RATE + 100); // 5 s plus a partial last frame
    const mine = await speechProbabilities(x, sileroModel(version), ctx);
    const bytes = fs.readFileSync(weightPath(`silero-vad-${version}`));
    const fetch = async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const model = version === "v4" ? await models.SileroLegacy.new(ort, fetch) : await models.Silero.new(ort, fetch);
    let worst = 0;
    for (let i = 0; i < mine.length; i++) {
      const frame = new Float32Array(512);
      frame.set(x.subarray(i * 512, Math.min(x.length, (i + 1) * 512)));
      worst = Math.max(worst, Math.abs((await model.process(frame)).isSpeech - mine[i]));
    }
    expect(mine.length).toBe(Math.ceil(x.length / 512));
    expect(worst).toBeLessThan(1e-5);
  });

  it("keeps concurrent requests independent", async () => {
    const a = clip.subarray(0, 4 * RATE);
    const b = clip.subarray(3 * RATE, 9 * RATE);
    const alone = [await speechProbabilities(a, sileroModel("v5"), ctx), await speechProbabilities(b, sileroModel("v5"), ctx)];
    const together = await Promise.all([speechProbabilities(a, sileroModel("v5"), ctx), speechProbabilities(b, sileroModel("v5"), ctx)]);
    expect(together[0]).toEqual(alone[0]);
    expect(together[1]).toEqual(alone[1]);
  });
});

describe("runVadSamples", () => {
  it("gives the same result as runVad on the equivalent float WAV", async () => {
    const fromWav = await runVad(encodeWav(clip, { rate: RATE, format: "f32" }), sileroModel("v6"), {}, ctx);
    const fromSamples = await runVadSamples(clip, sileroModel("v6"), {}, ctx);
    expect(fromSamples.segments).toEqual(fromWav.segments);
    expect(fromSamples.durationS).toBe(fromWav.durationS);
  });

  it("refuses empty, non-finite or too-long input", async () => {
    expect(await codeOf(runVadSamples(new Float32Array(0), sileroModel("v5"), {}, ctx))).toBe("empty_input");
    expect(await codeOf(runVadSamples(Float32Array.of(0, Number.NaN), sileroModel("v5"), {}, ctx))).toBe("invalid_samples");
    expect(await codeOf(runVadSamples(new Float32Array(RATE * 2), sileroModel("v5"), { maxSeconds: 1 }, ctx))).toBe("audio_too_long");
  });
});

describe("runVad input errors", () => {
  it("refuses an unknown flavour or a bad option before decoding", async () => {
    const wav = encodeWav(clip.subarray(0, RATE), { rate: RATE, format: "s16" });
    expect(await codeOf(runVad(wav, { key: "silero-vad-v5", flavour: "v7" as VadFlavour }, {}, ctx))).toBe("invalid_option");
    expect(await codeOf(runVad(wav, sileroModel("v5"), { threshold: 2 }, ctx))).toBe("invalid_option");
    expect(await codeOf(runVad(Buffer.from("not audio"), sileroModel("v5"), {}, ctx))).toBe("unsupported_media_type");
  });

  it("applies maxSeconds from the options to the WAV header", async () => {
    const wav = encodeWav(clip.subarray(0, 2 * RATE), { rate: RATE, format: "s16" });
    expect(await codeOf(runVad(wav, sileroModel("v5"), { maxSeconds: 1 }, ctx))).toBe("audio_too_long");
  });
});
