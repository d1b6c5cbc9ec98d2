import "server-only";
import type { WeightSpec } from "@/lib/models/catalog";
import type { WeightKey } from "@/lib/models/weights";
import { isWeightKey } from "@/lib/models/catalog";
import { maxUploadBytes } from "../body";
import { MAX_ELEMENTS } from "../schemas/kserve";

/**
 * The largest valid KServe call per weight, so a body can be refused by its size before it is read: a Silero call
 * is at most a few hundred thousand numbers, and a 24 MB body to it is garbage we never need to parse.
 *
 * Dynamic axes (-1 in the spec) get an upper bound here where the model has a natural one; the rest are bounded
 * only by MAX_ELEMENTS. Silero: up to 64 streams per call (twice what the batcher merges into one run) of up to
 * 4096 samples (v5 takes 576 at 16 kHz, v4 512–1536), states to match.
 */
const SILERO_STREAMS = 64;
const SILERO_SAMPLES = 4096;
const AXIS_MAX: Partial<Record<WeightKey, Record<string, readonly number[]>>> = {
  "silero-vad-v4": { input: [SILERO_STREAMS, SILERO_SAMPLES], h: [2, SILERO_STREAMS, 64], c: [2, SILERO_STREAMS, 64] },
  "silero-vad-v5": { input: [SILERO_STREAMS, SILERO_SAMPLES], state: [2, SILERO_STREAMS, 128] },
  "silero-vad-v6": { input: [SILERO_STREAMS, SILERO_SAMPLES], state: [2, SILERO_STREAMS, 128] },
};

/**
 * Bytes one element may take in JSON: a float32 printed as a double has up to 17 significant digits, a sign and
 * an exponent ("-1.2345678901234567e-38", 23 characters), then a separator and perhaps pretty-printing spaces.
 */
const JSON_BYTES_PER_ELEMENT = 32;
/** Names, shapes, datatypes, parameters around the data. */
const JSON_OVERHEAD = 64 * 1024;

/** Upper bound of axis `axis` of input `name` (Infinity: only the element budget bounds it). */
export function axisMax(spec: WeightSpec, name: string, axis: number): number {
  const fixed = spec.inputs.find((s) => s.name === name)?.shape[axis];
  if (fixed !== undefined && fixed >= 0) return fixed;
  return (isWeightKey(spec.key) ? AXIS_MAX[spec.key]?.[name]?.[axis] : undefined) ?? Infinity;
}

/** Elements in the largest valid call: every input at its largest shape, within MAX_ELEMENTS. */
export function maxElements(spec: WeightSpec): number {
  let total = 0;
  for (const s of spec.inputs) total += s.shape.reduce((n, _, axis) => n * axisMax(spec, s.name, axis), 1);
  return Math.min(MAX_ELEMENTS, total);
}

/** The body cap for a call to this weight: its largest valid call as JSON, never more than twice the upload cap. */
export function maxKserveBodyBytes(spec: WeightSpec): number {
  return Math.min(2 * maxUploadBytes(), maxElements(spec) * JSON_BYTES_PER_ELEMENT + JSON_OVERHEAD);
}
