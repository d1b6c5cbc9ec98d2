/** Input formats from their magic bytes: the upload's name and declared type are not trusted. */
import type { InputFormat } from "./types";

function ascii(b: Uint8Array, at: number, s: string): boolean {
  if (at + s.length > b.length) return false;
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
  return true;
}

/** ISO base media brands of audio files (iTunes/AAC) and the generic ones audio encoders also write. */
const MP4_BRANDS = ["M4A ", "M4B ", "M4P ", "mp41", "mp42", "isom", "iso2", "iso4", "iso5", "iso6", "dash", "3gp4", "3gp5", "3gp6", "MSNV", "F4A "];

/** The format of a file from its first bytes (64 are enough), or null when it is none we read. */
export function sniffFormat(head: Uint8Array): InputFormat | null {
  const b = head;
  // PDF readers accept the header anywhere in the first KiB; writers that prepend junk keep it short.
  for (let i = 0; i + 5 <= Math.min(b.length, 64); i++) if (ascii(b, i, "%PDF-")) return "pdf";
  if (ascii(b, 0, "II*\0") || ascii(b, 0, "MM\0*")) return "tiff";
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, "PNG\r\n\x1a\n")) return "png";
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
  if (ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP")) return "webp";
  if (ascii(b, 0, "RIFF") && ascii(b, 8, "WAVE")) return "wav";
  if (ascii(b, 0, "fLaC")) return "flac";
  if (ascii(b, 0, "OggS")) return "ogg";
  if (ascii(b, 4, "ftyp") && MP4_BRANDS.some((brand) => ascii(b, 8, brand))) return "m4a";
  if (ascii(b, 0, "ID3")) return "mp3";
  // An MPEG audio frame header: 11 sync bits, a version other than "reserved" and a layer other than 00 (which
  // is ADTS AAC's, not MPEG audio's).
  if (b.length >= 4 && b[0] === 0xff && (b[1] & 0xe0) === 0xe0 && (b[1] & 0x18) !== 0x08 && (b[1] & 0x06) !== 0) return "mp3";
  return null;
}

export function taskOfFormat(f: InputFormat): "ocr" | "vad" {
  return f === "pdf" || f === "tiff" || f === "png" || f === "jpeg" || f === "webp" ? "ocr" : "vad";
}
