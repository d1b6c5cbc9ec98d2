/**
 * Voice activity detection: WAV bytes → speech segments, with Silero VAD v4, v5 or v6 (or an uploaded file of either flavour).
 *
 * Sample rates: everything is resampled to 16 kHz, including 8 kHz telephony audio, although every version also
 * has an 8 kHz branch. Keeping one rate means every call to a given weight has the same shape and the same `sr`
 * scalar, so the runtime can batch any two requests together (an 8 kHz call would need its own batch, and a
 * batcher that keyed only on shapes could even mix `sr` values); it also keeps one 32 ms frame grid and one code
 * path. Upsampling costs little, and band-limited 8 kHz audio at 16 kHz is well inside what the models saw
 * in training (the 16 kHz models are routinely used on telephone speech).
 */
import { InputError, type InferenceContext } from "@/lib/models/tensor";
import { MODEL_RATE, validateVadOptions, type ResolvedVadOptions, type VadOptions } from "@/lib/models/vad/options";
import { resample } from "@/lib/models/vad/resample";
import { speechSegments, type SpeechSegment } from "@/lib/models/vad/segments";
import { assertVadModel, speechProbabilities, type VadModel } from "@/lib/models/vad/silero";
import { decodeWav } from "@/lib/models/vad/wav";

export interface VadTimings {
  /** WAV parsing, channel mixing and resampling */
  decodeMs: number;
  /** model calls */
  inferMs: number;
  totalMs: number;
}

export interface VadResult {
  durationS: number;
  /** the input's sample rate (the models always run at 16 kHz) */
  sampleRate: number;
  segments: SpeechSegment[];
  /** per 32 ms frame, when `returnProbabilities` is set */
  probabilities?: number[];
  timings: VadTimings;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

async function detect(
  samples16k: Float32Array,
  durationS: number,
  sampleRate: number,
  model: VadModel,
  o: ResolvedVadOptions,
  ctx: InferenceContext,
  t0: number,
  decodeMs: number,
): Promise<VadResult> {
  const t1 = performance.now();
  const probs = await speechProbabilities(samples16k, model, ctx);
  const inferMs = performance.now() - t1;
  const segments = speechSegments(probs, samples16k.length, o, durationS);
  const result: VadResult = {
    durationS: round3(durationS),
    sampleRate,
    segments,
    timings: { decodeMs: round3(decodeMs), inferMs: round3(inferMs), totalMs: round3(performance.now() - t0) },
  };
  // Rounded to 4 decimals: float32 noise in 7 digits makes JSON twice as large for no information.
  if (o.returnProbabilities) result.probabilities = Array.from(probs, (p) => Math.round(p * 1e4) / 1e4);
  return result;
}

/** Full pipeline from a WAV upload. Throws `InputError` for bad audio or options. */
export async function runVad(
  wav: Buffer,
  model: VadModel,
  options: VadOptions,
  ctx: InferenceContext,
): Promise<VadResult> {
  const t0 = performance.now();
  assertVadModel(model);
  const o = validateVadOptions(options);
  const audio = decodeWav(wav, { maxSeconds: o.maxSeconds });
  const samples16k = resample(audio.samples, audio.sampleRate, MODEL_RATE);
  const decodeMs = performance.now() - t0;
  return detect(samples16k, audio.durationS, audio.sampleRate, model, o, ctx, t0, decodeMs);
}

/**
 * The same from samples already at 16 kHz mono (benchmarks, or callers that decoded audio themselves).
 * `maxSeconds` applies to the sample count; samples must be finite.
 */
export async function runVadSamples(
  samples16k: Float32Array,
  model: VadModel,
  options: VadOptions,
  ctx: InferenceContext,
): Promise<VadResult> {
  const t0 = performance.now();
  assertVadModel(model);
  const o = validateVadOptions(options);
  if (samples16k.length === 0) throw new InputError("empty_input", "no audio samples");
  const durationS = samples16k.length / MODEL_RATE;
  if (durationS > o.maxSeconds) {
    throw new InputError("audio_too_long", `audio is ${durationS.toFixed(1)} s, the limit is ${o.maxSeconds} s`);
  }
  for (let i = 0; i < samples16k.length; i++) {
    const v = samples16k[i];
    if (v - v !== 0) throw new InputError("invalid_samples", `sample ${i} is NaN or infinite`);
  }
  return detect(samples16k, durationS, MODEL_RATE, model, o, ctx, t0, performance.now() - t0);
}
