import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { JOB_CHUNK_SAMPLES, JOB_CHUNK_SECONDS, sniffFormat, taskOfFormat, type InputFormat } from "@/lib/jobs/inputs";
import { FIXTURES } from "./helpers";

const b = (s: string, pad = 16) => Buffer.concat([Buffer.from(s, "latin1"), Buffer.alloc(pad)]);

describe("sniffFormat", () => {
  it.each<[string, Buffer, InputFormat | null]>([
    ["PDF", b("%PDF-1.7\n"), "pdf"],
    ["PDF after a little junk", b("\r\n%PDF-1.4"), "pdf"],
    ["little-endian TIFF", b("II*\0"), "tiff"],
    ["big-endian TIFF", b("MM\0*"), "tiff"],
    ["PNG", b("\x89PNG\r\n\x1a\n"), "png"],
    ["JPEG", b("\xff\xd8\xff\xe0"), "jpeg"],
    ["WebP", b("RIFF\0\0\0\0WEBPVP8 "), "webp"],
    ["WAV", b("RIFF\0\0\0\0WAVEfmt "), "wav"],
    ["FLAC", b("fLaC"), "flac"],
    ["MP3 with ID3", b("ID3\x04\0"), "mp3"],
    ["MP3 frame", b("\xff\xfb\x90\x64"), "mp3"],
    ["MPEG-2 layer III frame", b("\xff\xf3\x48\xc4"), "mp3"],
    ["ADTS AAC is not MP3", b("\xff\xf1\x50\x80"), null],
    ["Ogg", b("OggS\0\x02"), "ogg"],
    ["M4A", b("\0\0\0\x20ftypM4A \0\0\0\0"), "m4a"],
    ["MP4 audio (isom)", b("\0\0\0\x20ftypisom\0\0\x02\0"), "m4a"],
    ["HEIC is not M4A", b("\0\0\0\x18ftypheic"), null],
    ["text", b("hello world"), null],
    ["RIFF AVI", b("RIFF\0\0\0\0AVI "), null],
    ["nothing", Buffer.alloc(0), null],
  ])("%s", (_name, head, format) => {
    expect(sniffFormat(head)).toBe(format);
  });

  it.each([
    ["encrypted.pdf", "pdf"],
    ["speech.flac", "flac"],
    ["speech.mp3", "mp3"],
    ["speech.opus", "ogg"],
    ["speech.m4a", "m4a"],
  ])("knows the fixture %s", (file, format) => {
    expect(sniffFormat(fs.readFileSync(path.join(FIXTURES, file)).subarray(0, 64))).toBe(format);
  });
});

describe("taskOfFormat", () => {
  it("sends documents to OCR and recordings to VAD", () => {
    const all: InputFormat[] = ["pdf", "tiff", "png", "jpeg", "webp", "wav", "flac", "mp3", "ogg", "m4a"];
    expect(Object.fromEntries(all.map((f) => [f, taskOfFormat(f)]))).toEqual({
      pdf: "ocr", tiff: "ocr", png: "ocr", jpeg: "ocr", webp: "ocr", wav: "vad", flac: "vad", mp3: "vad", ogg: "vad", m4a: "vad",
    });
    expect(JOB_CHUNK_SAMPLES).toBe(JOB_CHUNK_SECONDS * 16000);
    expect(JOB_CHUNK_SAMPLES / 512).toBe(1875);
  });
});
