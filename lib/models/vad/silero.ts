/**
 * Silero VAD model runners: 16 kHz mono samples → one speech probability per 512-sample (32 ms) frame.
 *
 * Each call to `ctx.run` is self-contained, batch size 1, with the recurrent state passed in and taken back out
 * explicitly: the runtime may merge calls from different requests into one batch (input on axis 0, state on
 * axis 1), so nothing here may depend on another call or share state across requests.
 *
 * Version differences (checked against silero-vad's OnnxWrapper and @ricky0123/vad-web):
 * - v4 ("legacy" graph): inputs `input` [1, 512], `sr`, `h` and `c` LSTM states [2, 1, 64]; outputs
 *   `output` [1, 1], `hn`, `cn`. The raw frame is fed as is.
 * - v5 and v6 (same graph interface, different weights): inputs `input` [1, 64 + 512], `state` [2, 1, 128], `sr`;
 *   outputs `output` [1, 1], `stateN`. The 64 samples preceding the frame (zeros for the first frame) are
 *   prepended, as silero-vad's OnnxWrapper always does: the graph's STFT uses them to see an onset that straddles
 *   the frame boundary. Skipping them still runs, but gives different probabilities from the reference.
 *
 * The pipeline drives a graph by its flavour, not its version: "v4" is the h/c interface, "v5" the single-state
 * one (v5 and v6, and any uploaded Silero-compatible file with that signature). The file is whatever the entry names.
 *
 * All versions run at 16 kHz (`sr` = 16000); see `pipeline.ts` for why 8 kHz input is upsampled rather than
 * sent through the graphs' 8 kHz branch. The last partial frame is zero-padded, as the reference does.
 *
 * Buffers: the per-frame input array is reused (one request's calls are strictly sequential). This relies on the
 * runtime being done with a call's feeds once its promise settles - copied into a batch or read by ONNX Runtime -
 * and never transferring (detaching) their buffers to another thread. The state tensors returned by `run` are new
 * for each call and are fed back as they are, without copying.
 */
import { InputError, type InferenceContext, type Outputs, type Tensor } from "@/lib/models/tensor";
import { FRAME_SAMPLES, MODEL_RATE, VAD_FLAVOURS, type VadFlavour, type VadVersion } from "@/lib/models/vad/options";
import type { WeightKey } from "@/lib/models/weights";

/** The file a VAD pipeline runs and the recurrent-state interface it drives it through. */
export interface VadModel {
  key: string;
  flavour: VadFlavour;
}

/** Samples of left context the v5/v6 graphs expect before each 512-sample frame at 16 kHz (32 at 8 kHz). */
export const CONTEXT_SAMPLES = 64;

export const WEIGHT_KEYS = {
  v4: "silero-vad-v4",
  v5: "silero-vad-v5",
  v6: "silero-vad-v6",
} as const satisfies Record<VadVersion, WeightKey>;

/** A built-in Silero version as a model (tests, benchmarks; the runtime passes the entry's file and flavour). */
export function sileroModel(version: VadVersion): VadModel {
  return { key: WEIGHT_KEYS[version], flavour: version === "v4" ? "v4" : "v5" };
}

export function assertVadModel(model: VadModel): void {
  if (!VAD_FLAVOURS.includes(model.flavour)) {
    throw new InputError("invalid_option", `VAD flavour must be one of ${VAD_FLAVOURS.join(", ")}, got ${String(model.flavour)}`, "flavour");
  }
}

export function frameCount(samples: number): number {
  return Math.ceil(samples / FRAME_SAMPLES);
}

function f32(data: Float32Array, dims: readonly number[]): Tensor {
  return { type: "float32", data, dims };
}

/** Per request, not a module constant: a tensor handed to the runtime must never be shared between requests. */
function srTensor(): Tensor {
  return { type: "int64", data: BigInt64Array.of(BigInt(MODEL_RATE)), dims: [] };
}

function take(out: Outputs, name: string, key: string, length: number): Tensor {
  const t = out[name];
  if (!t || t.type !== "float32" || t.data.length !== length) {
    throw new Error(`${key} returned no float32 '${name}' of ${length} values`);
  }
  return t;
}

/**
 * Fills `dst` with the `context` samples before frame `i` followed by the frame itself, with zeros before the
 * start and past the end of the signal.
 */
function fillFrame(dst: Float32Array, samples: Float32Array, i: number, context: number): void {
  const frameStart = i * FRAME_SAMPLES;
  const from = frameStart - context;
  const to = Math.min(samples.length, frameStart + FRAME_SAMPLES);
  if (from >= 0) {
    dst.set(samples.subarray(from, to), 0);
  } else {
    dst.fill(0, 0, -from);
    dst.set(samples.subarray(0, to), -from);
  }
  const written = to - from;
  if (written < dst.length) dst.fill(0, written);
}

async function runLegacy(key: string, samples: Float32Array, ctx: InferenceContext, probs: Float32Array): Promise<void> {
  const input = new Float32Array(FRAME_SAMPLES);
  const stateLen = 2 * 64;
  const feeds: Record<string, Tensor> = {
    input: f32(input, [1, FRAME_SAMPLES]),
    sr: srTensor(),
    h: f32(new Float32Array(stateLen), [2, 1, 64]),
    c: f32(new Float32Array(stateLen), [2, 1, 64]),
  };
  for (let i = 0; i < probs.length; i++) {
    fillFrame(input, samples, i, 0);
    const out = await ctx.run(key, feeds);
    probs[i] = (take(out, "output", key, 1).data as Float32Array)[0];
    feeds.h = take(out, "hn", key, stateLen);
    feeds.c = take(out, "cn", key, stateLen);
  }
}

async function runStateful(
  key: string,
  samples: Float32Array,
  ctx: InferenceContext,
  probs: Float32Array,
): Promise<void> {
  const width = CONTEXT_SAMPLES + FRAME_SAMPLES;
  const input = new Float32Array(width);
  const stateLen = 2 * 128;
  const feeds: Record<string, Tensor> = {
    input: f32(input, [1, width]),
    state: f32(new Float32Array(stateLen), [2, 1, 128]),
    sr: srTensor(),
  };
  for (let i = 0; i < probs.length; i++) {
    // The context is the previous frame's last 64 samples, i.e. simply the 64 samples before this frame.
    fillFrame(input, samples, i, CONTEXT_SAMPLES);
    const out = await ctx.run(key, feeds);
    probs[i] = (take(out, "output", key, 1).data as Float32Array)[0];
    feeds.state = take(out, "stateN", key, stateLen);
  }
}

/** One probability per 32 ms frame of `samples16k` (16 kHz mono), computed by the given model. */
export async function speechProbabilities(
  samples16k: Float32Array,
  model: VadModel,
  ctx: InferenceContext,
): Promise<Float32Array> {
  assertVadModel(model);
  if (samples16k.length === 0) throw new InputError("empty_input", "no audio samples");
  const probs = new Float32Array(frameCount(samples16k.length));
  if (model.flavour === "v4") await runLegacy(model.key, samples16k, ctx, probs);
  else await runStateful(model.key, samples16k, ctx, probs);
  return probs;
}
