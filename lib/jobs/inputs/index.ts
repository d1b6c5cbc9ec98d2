import "server-only";
/**
 * Job inputs: documents into pages (PDF, multi-page TIFF, PNG/JPEG/WebP) and recordings into 60-second chunks of
 * 16 kHz mono audio (WAV, FLAC, MP3, Ogg/Opus, M4A), decoded in a worker thread, read from disk in slices.
 */
export { JOB_CHUNK_SECONDS, JOB_CHUNK_SAMPLES, JOB_SAMPLE_RATE, type InputFormat, type InputInfo, type InputUnit, type OpenOptions } from "./types";
export { sniffFormat, taskOfFormat } from "./sniff";
export { openInput, inputWorkerFile, type InputReader } from "./reader";
