/** Recordings in WAV become 60-second chunks of 16 kHz mono, bit-identical to the synchronous path's samples. */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { JOB_CHUNK_SAMPLES, openInput, type InputUnit } from "@/lib/jobs/inputs";
import { resample } from "@/lib/models/vad/resample";
import { decodeWav } from "@/lib/models/vad/wav";
import { concat, failure, openAll, sameBits, speechLike, tempDir, wavBytes, type WavEncoding } from "./helpers";

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

/** What POST /v1/vad does with the same bytes: decode whole, resample whole. */
function syncSamples(bytes: Uint8Array): Float32Array {
  const d = decodeWav(bytes, { maxSeconds: 1e9 });
  return resample(d.samples, d.sampleRate, 16000);
}

function audio(units: InputUnit[]) {
  return units.map((u) => {
    if (u.kind !== "audio") throw new Error("not audio");
    return u;
  });
}

describe("WAV chunks", () => {
  it("cuts 150 s of 44.1 kHz stereo into 60 + 60 + 30 s, equal bit for bit to the whole-file decode", async () => {
    const rate = 44100;
    const n = 150 * rate;
    const bytes = wavBytes([speechLike(n, rate, 1), speechLike(n, rate, 2)], rate, "pcm16");
    const file = write("long.wav", bytes);
    const { info, units } = await openAll(file);
    expect(info).toEqual({ format: "wav", unit: "audio_s", total: 150, units: 3, sampleRate: rate, channels: 2 });
    const chunks = audio(units);
    expect(chunks.map((c) => [c.index, c.startS, c.seconds, c.samples.length])).toEqual([
      [0, 0, 60, JOB_CHUNK_SAMPLES],
      [1, 60, 60, JOB_CHUNK_SAMPLES],
      [2, 120, 30, 480_000],
    ]);
    const whole = syncSamples(bytes);
    expect(sameBits(concat(chunks.map((c) => c.samples)), whole)).toBe(true);

    // Resuming after a crash: the reader seeks to the few samples the resampler needs before the chunk; nothing
    // before `from` is emitted and the samples are the same.
    for (const from of [1, 2]) {
      const resumed = audio((await openAll(file, { from })).units);
      expect(resumed.map((c) => [c.index, c.startS])).toEqual([[1, 60], [2, 120]].slice(from - 1));
      expect(sameBits(concat(resumed.map((c) => c.samples)), whole.subarray(from * JOB_CHUNK_SAMPLES))).toBe(true);
    }
    expect((await openAll(file, { from: 3 })).units).toEqual([]);
  });

  it("ends exactly on a chunk boundary without an empty last chunk", async () => {
    const bytes = wavBytes([speechLike(120 * 16000, 16000, 5)], 16000, "pcm16");
    const { info, units } = await openAll(write("exact.wav", bytes));
    expect([info.total, info.units]).toEqual([120, 2]);
    expect(audio(units).map((c) => [c.index, c.seconds])).toEqual([
      [0, 60],
      [1, 60],
    ]);
    expect(sameBits(concat(audio(units).map((c) => c.samples)), syncSamples(bytes))).toBe(true);
  });

  const cases: [string, WavEncoding, number, number, { extensible?: boolean; listChunk?: number }][] = [
    ["8-bit PCM at 8 kHz", "pcm8", 8000, 1, {}],
    ["16-bit PCM at 16 kHz (no resampling)", "pcm16", 16000, 1, {}],
    ["24-bit PCM at 11.025 kHz, stereo", "pcm24", 11025, 2, {}],
    ["32-bit PCM at 22.05 kHz", "pcm32", 22050, 1, {}],
    ["float32 at 48 kHz, 3 channels", "float32", 48000, 3, {}],
    ["float64 at 44.1 kHz", "float64", 44100, 1, {}],
    ["WAVE_FORMAT_EXTENSIBLE 16-bit stereo", "pcm16", 48000, 2, { extensible: true }],
    ["an odd-sized LIST chunk before the data", "pcm16", 22050, 1, { listChunk: 70_001 }],
  ];
  it.each(cases)("reads %s like the synchronous path", async (_name, enc, rate, channels, opts) => {
    const n = Math.round(3.3 * rate);
    const bytes = wavBytes(Array.from({ length: channels }, (_, c) => speechLike(n, rate, c + 11)), rate, enc, opts);
    const { info, units } = await openAll(write(`${enc}-${rate}-${channels}.wav`, bytes));
    expect(info).toMatchObject({ format: "wav", total: n / rate, units: 1, sampleRate: rate, channels });
    expect(units).toHaveLength(1);
    expect(sameBits(audio(units)[0].samples, syncSamples(bytes))).toBe(true);
  });

  it("reads a WAV cut mid-frame up to its last whole frame", async () => {
    const bytes = wavBytes([speechLike(16000, 16000, 3)], 16000, "pcm16");
    const { info, units } = await openAll(write("cut.wav", bytes.subarray(0, bytes.length - 1001)));
    expect(info.total).toBe(15499 / 16000);
    expect(audio(units)[0].samples.length).toBe(15499);
  });

  const pcm = wavBytes([speechLike(8000, 16000)], 16000, "pcm16");
  const adpcm = Buffer.from(pcm);
  adpcm.writeUInt16LE(0x0011, 20);
  const emptyData = wavBytes([new Float32Array(0)], 16000, "pcm16");
  const nan = wavBytes([Float32Array.from({ length: 2000 }, (_, i) => (i === 1600 ? NaN : 0.1))], 16000, "float32");
  const zeroChannels = Buffer.from(pcm);
  zeroChannels.writeUInt16LE(0, 22);
  const badAlign = Buffer.from(pcm);
  badAlign.writeUInt16LE(7, 32);
  const noData = Buffer.from(pcm.subarray(0, 36));
  noData.writeUInt32LE(28, 4);
  it.each([
    ["an empty file", Buffer.alloc(0), "empty_input", "the file is empty"],
    ["random bytes", Buffer.from("this is not audio at all, just some text"), "unsupported_media_type", /not a supported document .* or recording/],
    ["a header cut short", pcm.subarray(0, 30), "audio_invalid", "WAV fmt chunk is truncated or implausibly large"],
    ["IMA ADPCM", adpcm, "unsupported_media_type", /0x0011 is not supported/],
    ["an empty data chunk", emptyData, "empty_input", "the WAV data chunk is empty"],
    ["0 channels", zeroChannels, "audio_invalid", "WAV fmt chunk declares 0 channels"],
    ["a block align that does not match", badAlign, "audio_invalid", /block align 7/],
    ["no data chunk", noData, "audio_invalid", "WAV has no data chunk"],
  ])("refuses %s at open", async (name, bytes, code, message) => {
    const f = await failure(openInput(write(`bad-${name.replace(/\W+/g, "-")}.wav`, bytes), { maxPages: 1 }));
    expect(f.code).toBe(code);
    expect(f.message).toMatch(message);
  });

  it("refuses a NaN sample when its chunk is read", async () => {
    const reader = await openInput(write("nan.wav", nan), { maxPages: 1 });
    const f = await failure(reader.next());
    await reader.close();
    expect(f).toEqual({ code: "audio_invalid", message: "WAV sample at 0.100 s is NaN or infinite" });
  });
});
