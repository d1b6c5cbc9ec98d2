/** Public surface of the VAD model family. */
export { runVad, runVadSamples, type VadResult, type VadTimings } from "@/lib/models/vad/pipeline";
export {
  DEFAULT_VAD_OPTIONS,
  VAD_VERSIONS,
  VAD_FLAVOURS,
  validateVadOptions,
  type VadOptions,
  type ResolvedVadOptions,
  type VadVersion,
  type VadFlavour,
} from "@/lib/models/vad/options";
export type { SpeechSegment } from "@/lib/models/vad/segments";
export { decodeWav, type DecodedAudio } from "@/lib/models/vad/wav";
export { resample } from "@/lib/models/vad/resample";
export { speechProbabilities, sileroModel, WEIGHT_KEYS, type VadModel } from "@/lib/models/vad/silero";
