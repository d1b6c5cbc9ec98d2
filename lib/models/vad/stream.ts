/**
 * VAD over a long recording in chunks (jobs): each chunk runs inside the inference worker like any request, and the
 * detector's recurrent state travels with it — back to the job runner, into the database, and into the next chunk's
 * request — so that the probabilities of a recording sent in chunks are exactly those of one pass over the whole
 * signal (`speechProbabilities`), and `streamSegments` over them gives exactly what `runVadSamples` gives.
 *
 * Exactness rests on three things:
 * - every chunk but the last is a whole number of 512-sample frames (a job's 60 s chunk is 1,875 frames), so the
 *   frame grid never shifts; a chunk that ends inside a frame zero-pads it, as one pass does at the end of the
 *   signal, and ends the stream (a further chunk is refused);
 * - the feeds are built exactly as `silero.ts` builds them: v4 gets the raw frame and h/c; v5/v6 get the 64 samples
 *   before the frame (zeros before the signal's start) and `state`; the 64 samples of context are carried as state;
 * - float32 state survives JSON: a float32 is exactly a double, and JSON round-trips doubles.
 *
 * Pure (no I/O), batch-1 self-contained calls like silero.ts: the runtime may batch them with other requests.
 */
import { InputError, type InferenceContext, type Outputs, type Tensor } from "@/lib/models/tensor";
import { FRAME_SAMPLES, MODEL_RATE, validateVadOptions, type VadFlavour, type VadOptions } from "@/lib/models/vad/options";
import { speechSegments, type SpeechSegment } from "@/lib/models/vad/segments";
import { assertVadModel, CONTEXT_SAMPLES, frameCount, type VadModel } from "@/lib/models/vad/silero";

/** The detector's state between two chunks; JSON-safe (the job runner stores it in the database). */
export interface VadStreamState {
  flavour: VadFlavour;
  /** v4: h then c (2 × 128 floats); v5: `state` (256 floats) */
  state: number[];
  /** v5: the last 64 samples before the next frame; v4: empty */
  context: number[];
  /** frames analysed so far */
  frames: number;
  /** set once a chunk ended inside a frame (the recording's last): no chunk may follow */
  ended?: boolean;
}

export interface VadChunkResult {
  /** one probability per 32 ms frame of this chunk */
  probs: Float32Array;
  state: VadStreamState;
  /** model calls, ms */
  computeMs: number;
}

/** Recurrent-state floats each flavour carries: v4's h and c are [2, 1, 64] each, v5's state [2, 1, 128]. */
const STATE_FLOATS = 256;

function f32(data: Float32Array, dims: readonly number[]): Tensor {
  return { type: "float32", data, dims };
}

function take(out: Outputs, name: string, key: string, length: number): Float32Array<ArrayBufferLike> {
  const t = out[name];
  if (!t || t.type !== "float32" || t.data.length !== length) throw new Error(`${key} returned no float32 '${name}' of ${length} values`);
  return t.data as Float32Array;
}

function bad(message: string): InputError {
  return new InputError("invalid_option", `stream.state: ${message}`, "stream");
}

function finiteArray(v: unknown, length: number, what: string): Float32Array {
  if (!Array.isArray(v) || v.length !== length) throw bad(`${what} must be an array of ${length} numbers`);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const x: unknown = v[i];
    if (typeof x !== "number" || !Number.isFinite(x)) throw bad(`${what}[${i}] is not a finite number`);
    out[i] = x;
  }
  return out;
}

/** A stored state, checked against the model it is about to drive (null: the recording's first chunk). */
export function parseStreamState(raw: unknown, flavour: VadFlavour): { state: Float32Array; context: Float32Array; frames: number } {
  const contextLen = flavour === "v4" ? 0 : CONTEXT_SAMPLES;
  if (raw === null || raw === undefined) return { state: new Float32Array(STATE_FLOATS), context: new Float32Array(contextLen), frames: 0 };
  if (typeof raw !== "object" || Array.isArray(raw)) throw bad("must be an object or null");
  const s = raw as Record<string, unknown>;
  if (s.flavour !== flavour) throw bad(`was made by a ${String(s.flavour)} model; this model is ${flavour}`);
  if (s.ended === true) throw bad("the stream has ended (its last chunk did not fill a whole frame)");
  const frames = s.frames;
  if (typeof frames !== "number" || !Number.isSafeInteger(frames) || frames < 0) throw bad("frames must be a non-negative integer");
  return { state: finiteArray(s.state, STATE_FLOATS, "state"), context: finiteArray(s.context, contextLen, "context"), frames };
}

/** The chunk's raw bytes: float32 little-endian, 16 kHz mono, finite. */
export function chunkSamples(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength === 0) throw new InputError("empty_input", "no audio samples");
  if (bytes.byteLength % 4 !== 0) throw new InputError("corrupt_input", `a chunk is float32 samples: ${bytes.byteLength} bytes is not a multiple of 4`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const samples = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < samples.length; i++) {
    const v = view.getFloat32(i * 4, true);
    if (v - v !== 0) throw new InputError("invalid_samples", `sample ${i} is NaN or infinite`);
    samples[i] = v;
  }
  return samples;
}

/**
 * Speech probabilities of one chunk, continuing from `state` (null for the first chunk). `maxSeconds` does not
 * apply: a chunk is a part of a recording whose length the job already accepted.
 */
export async function runVadChunk(samples: Float32Array, model: VadModel, rawState: unknown, ctx: InferenceContext): Promise<VadChunkResult> {
  assertVadModel(model);
  if (samples.length === 0) throw new InputError("empty_input", "no audio samples");
  const start = parseStreamState(rawState, model.flavour);
  const probs = new Float32Array(frameCount(samples.length));
  const t0 = performance.now();
  const key = model.key;
  const sr: Tensor = { type: "int64", data: BigInt64Array.of(BigInt(MODEL_RATE)), dims: [] };
  let state: Float32Array<ArrayBufferLike> = start.state;
  let context: Float32Array<ArrayBufferLike> = start.context;

  if (model.flavour === "v4") {
    const input = new Float32Array(FRAME_SAMPLES);
    let h: Float32Array<ArrayBufferLike> = state.slice(0, 128);
    let c: Float32Array<ArrayBufferLike> = state.slice(128);
    for (let i = 0; i < probs.length; i++) {
      const from = i * FRAME_SAMPLES;
      const to = Math.min(samples.length, from + FRAME_SAMPLES);
      input.set(samples.subarray(from, to), 0);
      if (to - from < FRAME_SAMPLES) input.fill(0, to - from);
      const out = await ctx.run(key, { input: f32(input, [1, FRAME_SAMPLES]), sr, h: f32(h, [2, 1, 64]), c: f32(c, [2, 1, 64]) });
      probs[i] = take(out, "output", key, 1)[0];
      h = take(out, "hn", key, 128);
      c = take(out, "cn", key, 128);
    }
    state = new Float32Array(STATE_FLOATS);
    state.set(h, 0);
    state.set(c, 128);
  } else {
    const width = CONTEXT_SAMPLES + FRAME_SAMPLES;
    const input = new Float32Array(width);
    for (let i = 0; i < probs.length; i++) {
      // The 64 samples before this frame: the carried context for the chunk's first frame, else this chunk's own.
      const from = i * FRAME_SAMPLES;
      if (i === 0) input.set(context, 0);
      else input.set(samples.subarray(from - CONTEXT_SAMPLES, from), 0);
      const to = Math.min(samples.length, from + FRAME_SAMPLES);
      input.set(samples.subarray(from, to), CONTEXT_SAMPLES);
      if (to - from < FRAME_SAMPLES) input.fill(0, CONTEXT_SAMPLES + to - from);
      const out = await ctx.run(key, { input: f32(input, [1, width]), state: f32(state, [2, 1, 128]), sr });
      probs[i] = take(out, "output", key, 1)[0];
      state = take(out, "stateN", key, STATE_FLOATS);
    }
    // A chunk shorter than the context (possible only as a last chunk, which ends the stream) keeps older samples.
    const tail = new Float32Array(CONTEXT_SAMPLES);
    const fromChunk = Math.min(CONTEXT_SAMPLES, samples.length);
    tail.set(context.subarray(fromChunk), 0);
    tail.set(samples.subarray(samples.length - fromChunk), CONTEXT_SAMPLES - fromChunk);
    context = tail;
  }

  const ended = samples.length % FRAME_SAMPLES !== 0;
  return {
    probs,
    state: {
      flavour: model.flavour,
      state: Array.from(state),
      context: Array.from(context),
      frames: start.frames + probs.length,
      ...(ended ? { ended: true } : {}),
    },
    computeMs: Math.round((performance.now() - t0) * 1000) / 1000,
  };
}

/**
 * The final pass over every chunk's probabilities: the segments `runVad`/`runVadSamples` give for the whole signal.
 * `totalSamples` is the 16 kHz recording's length and `durationS` the input file's duration (what runVad clamps to).
 */
export function streamSegments(probs: Float32Array, totalSamples: number, options: VadOptions, durationS: number): SpeechSegment[] {
  const o = validateVadOptions(options);
  if (probs.length !== frameCount(totalSamples)) {
    throw new InputError("invalid_option", `${probs.length} probabilities for ${totalSamples} samples (expected ${frameCount(totalSamples)})`, "stream");
  }
  return speechSegments(probs, totalSamples, o, durationS);
}
