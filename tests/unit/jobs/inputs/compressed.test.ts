/**
 * Compressed recordings decode slice by slice to the same samples as a whole-file decode by the same library,
 * then mixed and resampled like the synchronous path. Fixtures: tests/fixtures/jobs/README.md.
 */
import fs from "node:fs";
import path from "node:path";
import decodeAac from "@audio/decode-aac";
import { FLACDecoder } from "@wasm-audio-decoders/flac";
import { MPEGDecoder } from "mpg123-decoder";
import { OggOpusDecoder } from "ogg-opus-decoder";
import { afterAll, describe, expect, it } from "vitest";
import { mixToMono } from "@/lib/jobs/inputs/audio/pcm";
import { openInput } from "@/lib/jobs/inputs";
import { resample } from "@/lib/models/vad/resample";
import { failure, FIXTURES, openAll, sameBits, tempDir } from "./helpers";

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The speech in every fixture: fox.wav + 1 s + recordings.wav = 125,482 samples at 16 kHz. */
const SECONDS = 125_482 / 16000;

interface Whole {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
}

const wholeDecoders: Record<string, (bytes: Uint8Array) => Promise<Whole>> = {
  "speech.flac": async (b) => {
    const d = new FLACDecoder();
    await d.ready;
    const r = await d.decodeFile(b);
    d.free();
    return r;
  },
  "speech.mp3": async (b) => {
    const d = new MPEGDecoder();
    await d.ready;
    const r = d.decode(b);
    d.free();
    return r;
  },
  "speech.opus": async (b) => {
    const d = new OggOpusDecoder();
    await d.ready;
    const r = await d.decodeFile(b);
    d.free();
    return r;
  },
  "speech.m4a": async (b) => {
    const r = await decodeAac(b);
    return { ...r, samplesDecoded: r.channelData[0].length };
  },
};
wholeDecoders["speech-faststart.m4a"] = wholeDecoders["speech.m4a"];

describe("compressed recordings", () => {
  it.each([
    ["speech.flac", "flac", 22050, 2, true],
    ["speech.mp3", "mp3", 44100, 2, false],
    ["speech.opus", "ogg", 48000, 1, true],
    ["speech.m4a", "m4a", 32000, 1, true],
    ["speech-faststart.m4a", "m4a", 32000, 1, true],
  ] as const)("%s decodes to its duration, chunks equal to a whole-file decode", async (name, format, rate, channels, exact) => {
    const file = path.join(FIXTURES, name);
    const { info, units } = await openAll(file);
    expect(info).toMatchObject({ format, unit: "audio_s", units: 1, sampleRate: rate, channels });
    if (exact) expect(info.total).toBeCloseTo(SECONDS, 3);
    else expect(Math.abs(info.total - SECONDS)).toBeLessThan(0.3);
    expect(units).toHaveLength(1);
    const u = units[0];
    if (u.kind !== "audio") throw new Error("not audio");
    const whole = await wholeDecoders[name](fs.readFileSync(file));
    const expected = resample(mixToMono(whole.channelData, whole.samplesDecoded), whole.sampleRate, 16000);
    expect(sameBits(u.samples, expected)).toBe(true);
    expect([u.index, u.startS]).toEqual([0, 0]);
    expect(u.seconds).toBeCloseTo(SECONDS, 2);
    // Resumed after its only chunk: decoded (compressed formats cannot seek exactly), nothing emitted.
    expect((await openAll(file, { from: 1 })).units).toEqual([]);
  });

  it.each([
    ["a FLAC header with garbage after it", "speech.flac", (b: Buffer) => Buffer.concat([b.subarray(0, 42), Buffer.alloc(20_000, 0x55)]), "audio_invalid", "the FLAC file holds no decodable audio"],
    ["a FLAC whose frames are overwritten", "speech.flac", (b: Buffer) => Buffer.concat([b.subarray(0, 8_000), Buffer.alloc(50_000, 0xa7), b.subarray(58_000)]), "audio_invalid", /^the FLAC audio is corrupt or truncated: \d+ of 172930 samples could be decoded$/],
    ["a FLAC cut short", "speech.flac", (b: Buffer) => b.subarray(0, 100_000), "audio_invalid", /corrupt or truncated/],
    ["an MP3 of noise after its first frames", "speech.mp3", (b: Buffer) => Buffer.concat([b.subarray(0, 2_000), Buffer.from(Array.from({ length: 40_000 }, (_, i) => (i * 7919) % 251))]), "audio_invalid", /^the MP3 audio is corrupt near byte/],
    ["an Ogg/Opus with a broken page", "speech.opus", (b: Buffer) => Buffer.concat([b.subarray(0, 6_000), Buffer.alloc(3_000, 0x33), b.subarray(9_000)]), "audio_invalid", /^the Ogg\/Opus audio is corrupt near byte \d+: .*corrupted/],
    ["an M4A cut before its moov box", "speech.m4a", (b: Buffer) => b.subarray(0, 30_000), "audio_invalid", "the M4A file has no moov box (truncated, or a fragmented MP4)"],
    ["an M4A cut inside its audio", "speech-faststart.m4a", (b: Buffer) => b.subarray(0, 20_000), "audio_invalid", "the M4A file is truncated: its audio data ends early"],
    ["an M4A whose moov box is mangled", "speech-faststart.m4a", (b: Buffer) => { const v = Buffer.from(b); v.fill(0xff, 40, 400); return v; }, "audio_invalid", /^the M4A /],
    ["Ogg Vorbis", "speech.opus", (b: Buffer) => { const v = Buffer.from(b); v.write("\x01vorbis\0", 28, "latin1"); return v; }, "unsupported_media_type", /^Ogg with Vorbis is not supported/],
  ])("refuses %s", async (name, fixture, corrupt, code, message) => {
    const file = path.join(dir, `${name.replace(/\W+/g, "-")}${path.extname(fixture)}`);
    fs.writeFileSync(file, corrupt(fs.readFileSync(path.join(FIXTURES, fixture))));
    const f = await failure(
      (async () => {
        const r = await openInput(file, { maxPages: 1 });
        try {
          for (let u = await r.next(); u; u = await r.next());
        } finally {
          await r.close();
        }
      })(),
    );
    expect(f.code).toBe(code);
    expect(f.message).toMatch(message);
  });
});
