import { describe, expect, it } from "vitest";
import { InputError, type InputErrorCode } from "@/lib/models/tensor";
import { decodeWav } from "@/lib/models/vad/wav";
import { encodeWav, type WavSampleFormat } from "@/tests/unit/vad/helpers";

/** 0.1 s of a 440 Hz sine at 0.5 amplitude, at 16 kHz. */
const sine = Float32Array.from({ length: 1600 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 16000));

function codeOf(fn: () => unknown): InputErrorCode | "no error" | "other error" {
  try {
    fn();
    return "no error";
  } catch (e) {
    return e instanceof InputError ? e.code : "other error";
  }
}

function maxError(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** A valid 16-bit mono WAV header + data, for corrupting field by field. */
function validWav(): Buffer {
  return encodeWav(sine, { rate: 16000, format: "s16" });
}
const FMT = 20; // offset of the fmt chunk body in `encodeWav` output
const DATA_SIZE = 40; // offset of the data chunk size field

describe("decodeWav: formats", () => {
  const cases: [string, WavSampleFormat, number, boolean, number][] = [
    // name, format, channels, extensible, tolerance (about one quantisation step)
    ["8-bit unsigned PCM", "u8", 1, false, 1 / 100],
    ["16-bit PCM", "s16", 1, false, 1 / 30000],
    ["24-bit PCM", "s24", 1, false, 1 / 8e6],
    ["32-bit PCM", "s32", 1, false, 1e-7],
    ["32-bit float", "f32", 1, false, 0],
    ["64-bit float", "f64", 1, false, 0],
    ["16-bit PCM stereo (channels averaged)", "s16", 2, false, 1 / 30000],
    ["24-bit PCM, WAVE_FORMAT_EXTENSIBLE", "s24", 1, true, 1 / 8e6],
    ["32-bit float stereo, WAVE_FORMAT_EXTENSIBLE", "f32", 2, true, 1e-7],
  ];
  it.each(cases)("%s", (_name, format, channels, extensible, tol) => {
    const a = decodeWav(encodeWav(sine, { rate: 16000, format, channels, extensible }));
    expect(a.sampleRate).toBe(16000);
    expect(a.channels).toBe(channels);
    expect(a.samples.length).toBe(sine.length);
    expect(a.durationS).toBeCloseTo(0.1, 9);
    expect(maxError(a.samples, sine)).toBeLessThanOrEqual(tol);
  });

  it("keeps the file's sample rate (resampling is a separate step)", () => {
    expect(decodeWav(encodeWav(sine, { rate: 44100, format: "s16" })).sampleRate).toBe(44100);
    expect(decodeWav(encodeWav(sine, { rate: 8000, format: "s16" })).sampleRate).toBe(8000);
  });

  it("skips unknown chunks, including odd-sized ones with their pad byte", () => {
    const wav = encodeWav(sine, { rate: 16000, format: "s16", extraChunks: [{ id: "LIST", size: 7 }, { id: "junk", size: 4 }] });
    expect(maxError(decodeWav(wav).samples, sine)).toBeLessThan(1e-4);
  });

  it("tolerates a writer that forgot the pad byte after an odd-sized chunk", () => {
    const good = encodeWav(sine, { rate: 16000, format: "s16", extraChunks: [{ id: "LIST", size: 7 }] });
    // Drop the pad byte that follows the 7-byte LIST body (header 12 + fmt 24 + LIST 8 + 7).
    const padAt = 12 + 24 + 8 + 7;
    const bad = Buffer.concat([good.subarray(0, padAt), good.subarray(padAt + 1)]);
    expect(maxError(decodeWav(bad).samples, sine)).toBeLessThan(1e-4);
  });

  it("uses what is there when the data chunk claims more than the file holds (whole frames)", () => {
    const wav = validWav();
    wav.writeUInt32LE(10 * sine.length * 2, DATA_SIZE);
    expect(decodeWav(wav).samples.length).toBe(sine.length);
  });

  it("treats 0xFFFFFFFF data size (streaming writers) as 'until end of file'", () => {
    const wav = validWav();
    wav.writeUInt32LE(0xffffffff, DATA_SIZE);
    expect(decodeWav(wav).samples.length).toBe(sine.length);
  });

  it("ignores bytes after a data chunk that is smaller than the file", () => {
    const wav = Buffer.concat([validWav(), Buffer.from("trailing garbage!")]);
    expect(decodeWav(wav).samples.length).toBe(sine.length);
  });
});

describe("decodeWav: bad input", () => {
  const withFmt = (patch: (b: Buffer) => void) => () => {
    const b = validWav();
    patch(b);
    return b;
  };
  const floatWith = (v: number) => () => {
    const b = encodeWav(sine, { rate: 16000, format: "f32" });
    b.writeFloatLE(v, 44 + 4 * 100);
    return b;
  };
  const cases: [string, () => Buffer, InputErrorCode][] = [
    ["zero bytes", () => Buffer.alloc(0), "empty_input"],
    ["not RIFF (PNG signature)", () => Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"), "unsupported_media_type"],
    ["RIFF but not WAVE (AVI)", () => Buffer.from("RIFF\x10\x00\x00\x00AVI LIST", "latin1"), "unsupported_media_type"],
    ["truncated header (2 bytes)", () => Buffer.from("RI", "latin1"), "corrupt_input"],
    ["truncated header (fmt cut short)", () => validWav().subarray(0, 30), "corrupt_input"],
    ["truncated header (no data chunk)", () => validWav().subarray(0, 36), "corrupt_input"],
    [
      "data chunk lying about size, file ends mid-frame",
      () => {
        const b = validWav().subarray(0, 44 + 101); // 101 bytes: 50.5 frames of 16-bit mono
        return b;
      },
      "corrupt_input",
    ],
    ["data size not a whole number of frames", withFmt((b) => b.writeUInt32LE(sine.length * 2 - 1, DATA_SIZE)), "corrupt_input"],
    ["zero-length data chunk", withFmt((b) => b.writeUInt32LE(0, DATA_SIZE)), "empty_input"],
    ["Microsoft ADPCM format code", withFmt((b) => b.writeUInt16LE(0x0002, FMT)), "unsupported_encoding"],
    ["mu-law format code", withFmt((b) => b.writeUInt16LE(0x0007, FMT)), "unsupported_encoding"],
    ["block align inconsistent with channels x bytes", withFmt((b) => b.writeUInt16LE(4, FMT + 12)), "corrupt_input"],
    ["zero channels", withFmt((b) => b.writeUInt16LE(0, FMT + 2)), "corrupt_input"],
    ["sample rate 1000 Hz", withFmt((b) => b.writeUInt32LE(1000, FMT + 4)), "unsupported_encoding"],
    ["sample rate 384 kHz", withFmt((b) => b.writeUInt32LE(384000, FMT + 4)), "unsupported_encoding"],
    ["16-bit float samples", withFmt((b) => {
      b.writeUInt16LE(3, FMT);
      b.writeUInt16LE(16, FMT + 14);
    }), "unsupported_encoding"],
    // 2 h at 16 kHz 16-bit mono = 230 400 000 bytes declared; only 0.1 s is actually present.
    ["2-hour header", withFmt((b) => b.writeUInt32LE(2 * 3600 * 16000 * 2, DATA_SIZE)), "audio_too_long"],
    ["NaN float sample", floatWith(NaN), "invalid_samples"],
    ["infinite float sample", floatWith(-Infinity), "invalid_samples"],
    ["RIFX (big-endian) WAV", withFmt((b) => b.write("RIFX", 0, "latin1")), "unsupported_encoding"],
  ];
  it.each(cases)("%s → %s", (_name, make, code) => {
    expect(codeOf(() => decodeWav(make()))).toBe(code);
  });

  it("checks the duration cap from the header, honouring maxSeconds", () => {
    const wav = validWav(); // 0.1 s
    expect(codeOf(() => decodeWav(wav, { maxSeconds: 0.05 }))).toBe("audio_too_long");
    expect(codeOf(() => decodeWav(wav, { maxSeconds: 0.1 }))).toBe("no error");
  });

  it("reports the sample position of a NaN", () => {
    expect(() => decodeWav(floatWith(NaN)())).toThrow(/sample 100/);
  });
});
