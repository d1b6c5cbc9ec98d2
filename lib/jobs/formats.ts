/**
 * What a job's file is, by its first bytes (never by its name or the declared content type, which clients get
 * wrong), and which task reads it. Anything else is refused at submission with 415.
 */
export const INPUT_FORMATS = ["pdf", "tiff", "png", "jpeg", "webp", "wav", "flac", "mp3", "ogg", "m4a"] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

const DOCUMENT_FORMATS: readonly InputFormat[] = ["pdf", "tiff", "png", "jpeg", "webp"];

export function taskOfFormat(f: InputFormat): "ocr" | "vad" {
  return DOCUMENT_FORMATS.includes(f) ? "ocr" : "vad";
}

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

const ascii = (b: Uint8Array, at: number, s: string) => s.split("").every((c, i) => b[at + i] === c.charCodeAt(0));

export function sniffFormat(head: Uint8Array): InputFormat | null {
  if (head.length < 4) return null;
  // PDF readers accept the header anywhere in the first KiB; within the head is what real files do.
  for (let i = 0; i + 5 <= head.length; i++) if (ascii(head, i, "%PDF-")) return "pdf";
  if (ascii(head, 0, "II*\0") || ascii(head, 0, "MM\0*")) return "tiff";
  if (head[0] === 0x89 && ascii(head, 1, "PNG")) return "png";
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return "jpeg";
  if ((ascii(head, 0, "RIFF") || ascii(head, 0, "RF64")) && head.length >= 12) {
    if (ascii(head, 8, "WEBP")) return "webp";
    if (ascii(head, 8, "WAVE")) return "wav";
  }
  if (ascii(head, 0, "fLaC")) return "flac";
  if (ascii(head, 0, "OggS")) return "ogg";
  if (head.length >= 12 && ascii(head, 4, "ftyp")) return "m4a";
  if (ascii(head, 0, "ID3")) return ascii(head, 10, "fLaC") ? "flac" : "mp3";
  // An MPEG audio frame: 11 sync bits, then a version and layer that are not "reserved".
  if (head[0] === 0xff && (head[1] & 0xe0) === 0xe0 && (head[1] & 0x18) !== 0x08 && (head[1] & 0x06) !== 0) return "mp3";
  return null;
}
