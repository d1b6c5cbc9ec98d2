/**
 * What a job's file is, by its first bytes (lib/jobs/inputs/sniff.ts), which task reads it, and the media type the
 * portal is sent it back with.
 */
import type { InputFormat } from "./inputs/types";

export { sniffFormat, taskOfFormat } from "./inputs/sniff";
export type { InputFormat };

export const CONTENT_TYPES: Record<InputFormat, string> = {
  pdf: "application/pdf",
  tiff: "image/tiff",
  png: "image/png",
  jpeg: "image/jpeg",
  webp: "image/webp",
  wav: "audio/wav",
  flac: "audio/flac",
  mp3: "audio/mpeg",
  ogg: "audio/ogg",
  m4a: "audio/mp4",
};
