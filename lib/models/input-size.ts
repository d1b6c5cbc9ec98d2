/**
 * How big a request's input is, read from its header alone (no pixel decoded, no sample converted), so the edge can
 * size the work before admitting it: reserve quota in proportion to it, budget decoded bytes in flight, refuse what
 * cannot fit. Cheap enough for the main thread. Bad input fails here with the same InputError the pipeline would give.
 */
import { readImageHeader } from "./ocr/decode-image";
import { DEFAULT_MAX_PIXELS } from "./ocr/options";
import { parseWavHeader } from "./vad/wav-header";

export type InputSize =
  | { kind: "image"; width: number; height: number; pixels: number; /** 8-bit RGB once decoded */ decodedBytes: number }
  | { kind: "audio"; seconds: number; sampleRate: number; channels: number; /** float32 mono samples once decoded */ decodedBytes: number };

export async function imageSize(bytes: Buffer, maxPixels: number = DEFAULT_MAX_PIXELS): Promise<InputSize & { kind: "image" }> {
  const h = await readImageHeader(bytes, maxPixels);
  const pixels = h.width * h.height;
  return { kind: "image", width: h.width, height: h.height, pixels, decodedBytes: pixels * 3 };
}

export function audioSize(bytes: Buffer, maxSeconds: number): InputSize & { kind: "audio" } {
  const w = parseWavHeader(bytes, maxSeconds);
  return { kind: "audio", seconds: w.durationS, sampleRate: w.sampleRate, channels: w.channels, decodedBytes: w.frames * 4 };
}
