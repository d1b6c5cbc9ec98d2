/**
 * What a job's input looks like to the job runner: its format, its size in pages or audio seconds, and the units
 * (rendered pages, 60-second chunks of 16 kHz mono audio) the runner feeds to the models one at a time. Plain data
 * only: these cross the worker thread's postMessage.
 */

export type InputFormat = "pdf" | "tiff" | "png" | "jpeg" | "webp" | "wav" | "flac" | "mp3" | "ogg" | "m4a";

/** VAD jobs run in chunks of this many seconds of 16 kHz audio (960,000 samples = 1,875 frames of 512). */
export const JOB_CHUNK_SECONDS = 60;
export const JOB_SAMPLE_RATE = 16000;
export const JOB_CHUNK_SAMPLES = JOB_CHUNK_SECONDS * JOB_SAMPLE_RATE;

export interface InputInfo {
  format: InputFormat;
  unit: "page" | "audio_s";
  /** pages, or audio seconds (exact where the container says; else an estimate) */
  total: number;
  /** pages, or chunks (= ceil(total / 60) for audio; an estimate where `total` is one) */
  units: number;
  sampleRate?: number;
  channels?: number;
}

export type InputUnit =
  /** One rendered page, 0-based, as PNG. */
  | { kind: "page"; index: number; png: Uint8Array; width: number; height: number }
  /** One chunk of 16 kHz mono audio; `startS = index * 60`, `seconds` = real audio seconds in it. */
  | { kind: "audio"; index: number; samples: Float32Array; startS: number; seconds: number };

export interface OpenOptions {
  /** First unit to produce (a resumed job continues after its last completed unit). Default 0. */
  from?: number;
  /** Page rendering resolution for PDFs. Default 200. */
  dpi?: number;
  /** Refuse documents with more pages than this, before rendering any. */
  maxPages: number;
  /** Niceness of the reader's thread (0: leave it). */
  nice?: number;
  signal?: AbortSignal;
}

/** Codes the job fails with when its input is at fault. */
export type InputFailureCode =
  | "unsupported_media_type"
  | "pdf_encrypted"
  | "pdf_invalid"
  | "too_many_pages"
  | "image_invalid"
  | "audio_invalid"
  | "empty_input";

export const DEFAULT_DPI = 200;
