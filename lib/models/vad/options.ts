/**
 * VAD request options: defaults mirror silero-vad's `get_speech_timestamps` so results are comparable with the
 * reference implementation, and the validator turns anything out of range into an `invalid_option` 4xx.
 */
import { InputError } from "@/lib/models/tensor";

/** The built-in Silero versions. */
export const VAD_VERSIONS = ["v4", "v5", "v6"] as const;
export type VadVersion = (typeof VAD_VERSIONS)[number];
/** Recurrent-state interfaces: "v4" feeds h/c of 64 (Silero v4), "v5" one `state` of 128 (v5, v6). */
export const VAD_FLAVOURS = ["v4", "v5"] as const;
export type VadFlavour = (typeof VAD_FLAVOURS)[number];

export interface VadOptions {
  /** speech probability at or above which a frame starts / continues speech */
  threshold?: number;
  /** probability below which a frame counts as silence while in speech; default max(threshold - 0.15, 0.01) */
  negThreshold?: number;
  /** segments shorter than this are dropped */
  minSpeechMs?: number;
  /** silence needed before a segment is closed (shorter pauses are merged into the segment) */
  minSilenceMs?: number;
  /** padding added on each side of a segment (halved between segments that would overlap) */
  speechPadMs?: number;
  /** segments longer than this are split, at the longest inner pause when there is one */
  maxSpeechS?: number;
  /** refuse audio longer than this (checked from the WAV header, before decoding) */
  maxSeconds?: number;
  /** include the per-frame (32 ms) speech probabilities in the result */
  returnProbabilities?: boolean;
}

export type ResolvedVadOptions = Required<VadOptions>;

/** negThreshold is absent on purpose: its default follows `threshold` (see `validateVadOptions`). */
export const DEFAULT_VAD_OPTIONS: Readonly<Omit<ResolvedVadOptions, "negThreshold">> = Object.freeze({
  threshold: 0.5,
  minSpeechMs: 250,
  minSilenceMs: 100,
  speechPadMs: 30,
  maxSpeechS: Infinity,
  maxSeconds: 600,
  returnProbabilities: false,
});

/** The model's analysis window: 512 samples at 16 kHz for every supported version. */
export const FRAME_SAMPLES = 512;
export const MODEL_RATE = 16000;

const KNOWN_KEYS = new Set<string>([
  "threshold",
  "negThreshold",
  "minSpeechMs",
  "minSilenceMs",
  "speechPadMs",
  "maxSpeechS",
  "maxSeconds",
  "returnProbabilities",
]);

function num(o: Record<string, unknown>, key: keyof VadOptions, fallback: number): number {
  const v = o[key];
  if (v === undefined) return fallback;
  // Infinity is only meaningful for maxSpeechS ("never split"); it is checked per option below.
  if (typeof v !== "number" || Number.isNaN(v)) throw new InputError("invalid_option", `${key} must be a number`, key);
  return v;
}

function range(key: keyof VadOptions, v: number, lo: number, hi: number, what: string): void {
  if (!(v >= lo && v <= hi)) throw new InputError("invalid_option", `${key} must be ${what} (got ${v})`, key);
}

/**
 * Fills defaults and checks ranges. Unknown keys are refused rather than ignored: a misspelt option
 * (`min_speech_ms`) silently falling back to its default is a worse surprise than a 400.
 */
export function validateVadOptions(options: unknown = {}): ResolvedVadOptions {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new InputError("invalid_option", "options must be an object");
  }
  const o = options as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!KNOWN_KEYS.has(k)) throw new InputError("invalid_option", `unknown option ${k}`, k);
  }
  const d = DEFAULT_VAD_OPTIONS;

  const threshold = num(o, "threshold", d.threshold);
  range("threshold", threshold, 0.01, 0.99, "between 0.01 and 0.99");
  // Same default as silero-vad: 0.15 of hysteresis, floored so a low threshold still has an exit level.
  const negThreshold = num(o, "negThreshold", Math.max(threshold - 0.15, 0.01));
  range("negThreshold", negThreshold, 0, threshold, `between 0 and threshold (${threshold})`);

  const minSpeechMs = num(o, "minSpeechMs", d.minSpeechMs);
  range("minSpeechMs", minSpeechMs, 0, 60_000, "between 0 and 60000");
  const minSilenceMs = num(o, "minSilenceMs", d.minSilenceMs);
  range("minSilenceMs", minSilenceMs, 0, 60_000, "between 0 and 60000");
  const speechPadMs = num(o, "speechPadMs", d.speechPadMs);
  range("speechPadMs", speechPadMs, 0, 10_000, "between 0 and 10000");

  const maxSpeechS = num(o, "maxSpeechS", d.maxSpeechS);
  // silero-vad's split point is maxSpeech - one frame - both pads; below that every frame would be cut.
  const minMaxSpeech = FRAME_SAMPLES / MODEL_RATE + (2 * speechPadMs) / 1000;
  if (!(maxSpeechS > minMaxSpeech)) {
    throw new InputError(
      "invalid_option",
      `maxSpeechS must exceed one frame plus twice speechPadMs (${minMaxSpeech.toFixed(3)} s), or be Infinity`,
      "maxSpeechS",
    );
  }

  const maxSeconds = num(o, "maxSeconds", d.maxSeconds);
  if (!(maxSeconds > 0 && Number.isFinite(maxSeconds))) {
    throw new InputError("invalid_option", "maxSeconds must be a positive finite number", "maxSeconds");
  }

  const rp = o.returnProbabilities ?? d.returnProbabilities;
  if (typeof rp !== "boolean") {
    throw new InputError("invalid_option", "returnProbabilities must be a boolean", "returnProbabilities");
  }

  return { threshold, negThreshold, minSpeechMs, minSilenceMs, speechPadMs, maxSpeechS, maxSeconds, returnProbabilities: rp };
}
