/**
 * RIFF/WAVE container parsing: finds the `fmt ` and `data` chunks and decides, from the header alone, whether the
 * audio is decodable and short enough. Sample conversion lives in `wav.ts`; nothing here touches sample bytes, so
 * an oversized or hostile upload is refused before any large allocation.
 */
import { InputError } from "@/lib/models/tensor";

export const MIN_SAMPLE_RATE = 8000;
export const MAX_SAMPLE_RATE = 192000;

export type SampleEncoding = "pcm" | "float";

export interface WavInfo {
  encoding: SampleEncoding;
  /** bytes per sample of one channel (the container size, not `validBits`) */
  bytesPerSample: number;
  channels: number;
  sampleRate: number;
  /** bytes per frame = channels * bytesPerSample */
  blockAlign: number;
  /** byte offset of the first sample in the buffer */
  dataOffset: number;
  /** whole frames available (after clamping a data chunk that claims more than the file holds) */
  frames: number;
  durationS: number;
}

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/** Names for the refusal message: these are real WAV codecs we deliberately do not decode. */
const KNOWN_UNSUPPORTED: Record<number, string> = {
  0x0002: "Microsoft ADPCM",
  0x0006: "A-law",
  0x0007: "mu-law",
  0x0011: "IMA ADPCM",
  0x0031: "GSM 6.10",
  0x0050: "MPEG",
  0x0055: "MP3",
};

/** Tail shared by every KSDATAFORMAT_SUBTYPE_* GUID (bytes 2..15 as stored in the file). */
const KS_GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

/** Streaming writers (ffmpeg to a pipe, some recorders) put this in the size field when the length is unknown. */
const UNKNOWN_SIZE = 0xffffffff;

function fourcc(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);
}

/** Chunk ids are four printable ASCII characters; used to detect writers that forgot the odd-size pad byte. */
function plausibleId(b: Uint8Array, at: number): boolean {
  if (at + 8 > b.length) return false;
  for (let i = at; i < at + 4; i++) if (b[i] < 0x20 || b[i] > 0x7e) return false;
  return true;
}

interface Fmt {
  encoding: SampleEncoding;
  bytesPerSample: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
}

function parseFmt(b: Uint8Array, dv: DataView, at: number, size: number): Fmt {
  if (size < 16) throw new InputError("corrupt_input", `fmt chunk is ${size} bytes, expected at least 16`);
  let tag = dv.getUint16(at, true);
  const channels = dv.getUint16(at + 2, true);
  const sampleRate = dv.getUint32(at + 4, true);
  const blockAlign = dv.getUint16(at + 12, true);
  const bits = dv.getUint16(at + 14, true);

  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    if (size < 40 || dv.getUint16(at + 16, true) < 22) {
      throw new InputError("corrupt_input", "WAVE_FORMAT_EXTENSIBLE fmt chunk is too short");
    }
    // The sub-format GUID's first two bytes are the plain format tag; the rest must be the KSDATAFORMAT tail.
    for (let i = 0; i < KS_GUID_TAIL.length; i++) {
      if (b[at + 26 + i] !== KS_GUID_TAIL[i]) {
        throw new InputError("unsupported_encoding", "WAVE_FORMAT_EXTENSIBLE with a non-standard sub-format GUID");
      }
    }
    tag = dv.getUint16(at + 24, true);
  }

  let encoding: SampleEncoding;
  if (tag === WAVE_FORMAT_PCM) encoding = "pcm";
  else if (tag === WAVE_FORMAT_IEEE_FLOAT) encoding = "float";
  else {
    const name = KNOWN_UNSUPPORTED[tag] ?? `format code 0x${tag.toString(16).padStart(4, "0")}`;
    throw new InputError("unsupported_encoding", `${name} WAV is not supported; send PCM or IEEE float`);
  }

  if (channels === 0) throw new InputError("corrupt_input", "fmt chunk declares 0 channels");
  // PCM containers round the bit depth up to whole bytes with samples left-justified (e.g. 20-bit in 24), so
  // decoding the full container gives the right scale.
  const bytesPerSample = Math.ceil(bits / 8);
  if (encoding === "pcm" && (bits === 0 || bits > 32)) {
    throw new InputError("unsupported_encoding", `${bits}-bit PCM is not supported (1..32 bits)`);
  }
  if (encoding === "float" && bits !== 32 && bits !== 64) {
    throw new InputError("unsupported_encoding", `${bits}-bit float is not supported (32 or 64)`);
  }
  if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) {
    throw new InputError(
      "unsupported_encoding",
      `sample rate ${sampleRate} Hz is outside ${MIN_SAMPLE_RATE}..${MAX_SAMPLE_RATE} Hz`,
    );
  }
  if (blockAlign !== channels * bytesPerSample) {
    throw new InputError(
      "corrupt_input",
      `block align ${blockAlign} does not match ${channels} channel(s) of ${bytesPerSample} byte(s)`,
    );
  }
  return { encoding, bytesPerSample, channels, sampleRate, blockAlign };
}

/**
 * Reads the header and validates everything that can be known without decoding samples.
 * `maxSeconds` is checked against the size the data chunk *declares*: a header announcing two hours is refused
 * as too long even if the upload was cut short, and no sample is converted first.
 */
export function parseWavHeader(buf: Uint8Array, maxSeconds: number): WavInfo {
  if (buf.length === 0) throw new InputError("empty_input", "the audio file is empty");
  const riff = buf.length >= 4 ? fourcc(buf, 0) : "";
  if (riff === "RIFX" || riff === "RF64") {
    throw new InputError("unsupported_encoding", `${riff} WAV is not supported; send little-endian RIFF WAV`);
  }
  if (riff !== "RIFF") {
    // A 1-3 byte upload that matches the start of "RIFF" is a truncated WAV, not some other format.
    if (buf.length < 4 && "RIFF".startsWith(String.fromCharCode(...buf))) {
      throw new InputError("corrupt_input", "truncated WAV header");
    }
    throw new InputError("unsupported_media_type", "not a WAV file (no RIFF header)");
  }
  if (buf.length < 12) throw new InputError("corrupt_input", "truncated WAV header");
  if (fourcc(buf, 8) !== "WAVE") throw new InputError("unsupported_media_type", "RIFF file is not WAVE audio");

  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let fmt: Fmt | undefined;
  let dataOffset = -1;
  let declared = 0;
  let available = 0;

  let pos = 12;
  while (pos + 8 <= buf.length) {
    const id = fourcc(buf, pos);
    const size = dv.getUint32(pos + 4, true);
    const body = pos + 8;
    const fits = size <= buf.length - body;
    if (id === "fmt ") {
      if (!fits) throw new InputError("corrupt_input", "fmt chunk runs past the end of the file");
      fmt = parseFmt(buf, dv, body, size);
    } else if (id === "data" && dataOffset < 0) {
      dataOffset = body;
      declared = size;
      available = Math.min(size, buf.length - body);
    }
    // A chunk that claims to run past the end (usually `data` from a truncated upload) ends the walk.
    if (!fits) break;
    let next = body + size;
    if (size & 1) {
      // RIFF pads odd chunks to even length, but some writers forget; trust whichever position holds an id.
      next += next < buf.length && !plausibleId(buf, next + 1) && plausibleId(buf, next) ? 0 : 1;
    }
    if (dataOffset >= 0 && fmt) break;
    pos = next;
  }

  if (!fmt) throw new InputError("corrupt_input", buf.length < 36 ? "truncated WAV header" : "WAV has no fmt chunk");
  if (dataOffset < 0) throw new InputError("corrupt_input", "WAV has no data chunk");
  if (declared === 0) throw new InputError("empty_input", "the WAV data chunk is empty");

  const headerBytes = declared === UNKNOWN_SIZE ? available : declared;
  const headerSeconds = headerBytes / fmt.blockAlign / fmt.sampleRate;
  if (headerSeconds > maxSeconds) {
    throw new InputError("audio_too_long", `audio is ${headerSeconds.toFixed(1)} s, the limit is ${maxSeconds} s`);
  }
  if (available === 0) throw new InputError("empty_input", "the WAV data chunk holds no samples");
  if (available % fmt.blockAlign !== 0) {
    const why = available < declared ? "the file ends mid-frame" : "data size is not a whole number of frames";
    throw new InputError("corrupt_input", `WAV data is truncated or inconsistent: ${why}`);
  }
  const frames = available / fmt.blockAlign;
  return { ...fmt, dataOffset, frames, durationS: frames / fmt.sampleRate };
}
