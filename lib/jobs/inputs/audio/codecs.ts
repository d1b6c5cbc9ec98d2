/**
 * The compressed formats' containers: where their audio starts and how long it is, and their decoders.
 * FLAC: STREAMINFO's sample count (exact). MP3: skips an ID3v2 tag (cover art can be megabytes), the length from
 * the bitrate of the first audio (exact for files under one slice, an estimate for VBR). Ogg/Opus: the last page's
 * granule position minus the pre-skip (exact), read from the file's tail.
 */
import { FLACDecoder } from "@wasm-audio-decoders/flac";
import { MPEGDecoder } from "mpg123-decoder";
import { OggOpusDecoder } from "ogg-opus-decoder";
import { inputError } from "../errors";
import type { FileSlices } from "../file-slices";
import { byRatio, CompressedSource, type Duration } from "./compressed";

export async function openFlac(file: FileSlices): Promise<CompressedSource> {
  const head = await file.read(0, 42);
  // "fLaC", then the STREAMINFO block: 4-byte header, 34-byte body; rate 20 bits, channels 3, depth 5, samples 36.
  if (head.length < 42 || (head[4] & 0x7f) !== 0) throw inputError("audio_invalid", "the FLAC file has no STREAMINFO block");
  const b = head.subarray(8);
  const rate = (b[10] << 12) | (b[11] << 4) | (b[12] >> 4);
  const total = (b[13] & 0x0f) * 2 ** 32 + ((b[14] << 24) >>> 0) + (b[15] << 16) + (b[16] << 8) + b[17];
  const duration: Duration = (first) =>
    total > 0 && rate > 0 ? { seconds: total / rate, exact: true } : byRatio(file.size, 0)(first);
  const decoder = new FLACDecoder();
  await decoder.ready;
  const source = await CompressedSource.open(file, decoder, "FLAC", 0, duration);
  if (total > 0) source.expectedSamples = total;
  return source;
}

export async function openMp3(file: FileSlices): Promise<CompressedSource> {
  const head = await file.read(0, 10);
  let start = 0;
  if (head.length === 10 && head[0] === 0x49 && head[1] === 0x44 && head[2] === 0x33) {
    // ID3v2: 10-byte header, a syncsafe size, 10 more bytes when the footer flag is set.
    const size = (head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9];
    start = Math.min(file.size, 10 + size + (head[5] & 0x10 ? 10 : 0));
  }
  const decoder = new MPEGDecoder();
  await decoder.ready;
  return CompressedSource.open(file, decoder, "MP3", start, byRatio(file.size, start));
}

function ascii(b: Uint8Array, at: number, s: string): boolean {
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
  return true;
}

export async function openOgg(file: FileSlices): Promise<CompressedSource> {
  const head = await file.read(0, 64);
  // The first page holds the codec's identification header right after the 27-byte page header + segment table.
  const body = 27 + (head[26] ?? 0);
  if (!ascii(head, body, "OpusHead")) {
    const codec = ascii(head, body + 1, "vorbis") ? "Vorbis" : ascii(head, body + 1, "FLAC") ? "FLAC" : ascii(head, body, "Speex") ? "Speex" : "this codec";
    throw inputError("unsupported_media_type", `Ogg with ${codec} is not supported; Ogg files must hold Opus (or send WAV, FLAC, MP3 or M4A)`);
  }
  const preSkip = head[body + 10] | (head[body + 11] << 8);
  const tail = await file.read(Math.max(0, file.size - 65_536), 65_536);
  let granule = -1;
  for (let i = tail.length - 27; i >= 0; i--) {
    if (ascii(tail, i, "OggS")) {
      const dv = new DataView(tail.buffer, tail.byteOffset + i + 6, 8);
      const g = dv.getUint32(0, true) + dv.getUint32(4, true) * 2 ** 32;
      if (dv.getInt32(4, true) >= 0) {
        granule = g;
        break;
      }
    }
  }
  // Opus granule positions count 48 kHz samples whatever the input rate.
  const duration: Duration = (first) => (granule > preSkip ? { seconds: (granule - preSkip) / 48000, exact: true } : byRatio(file.size, 0)(first));
  const decoder = new OggOpusDecoder();
  await decoder.ready;
  return CompressedSource.open(file, decoder, "Ogg/Opus", 0, duration);
}
