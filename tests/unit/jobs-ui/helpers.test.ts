import { describe, expect, it } from "vitest";
import { encodeWav } from "@/app/playground/_components/wav";
import { clock, envelopeOf, tickStep } from "@/app/jobs/_components/audio-envelope";
import { downloadName, ocrText, vadCsv } from "@/app/jobs/_components/downloads";
import { inferTask, jobFraction } from "@/app/jobs/_components/job";
import { probe, tiffPages, wavSeconds } from "@/app/jobs/_components/input-probe";

/** A TIFF skeleton with `pages` IFDs of one entry each, chained (little- or big-endian). */
function tiff(pages: number, le = true): Blob {
  const ifd = 2 + 12 + 4;
  const buf = new ArrayBuffer(8 + pages * ifd);
  const v = new DataView(buf);
  const b = new Uint8Array(buf);
  b.set(le ? [0x49, 0x49] : [0x4d, 0x4d]);
  v.setUint16(2, 42, le);
  v.setUint32(4, 8, le);
  for (let p = 0; p < pages; p++) {
    const at = 8 + p * ifd;
    v.setUint16(at, 1, le);
    v.setUint16(at + 2, 256, le); // ImageWidth
    v.setUint32(at + 14, p + 1 < pages ? at + ifd : 0, le);
  }
  return new Blob([buf]);
}

describe("the playground's file probe (Run as a job)", () => {
  it("measures a WAV from its header, whatever its rate and channels", async () => {
    for (const [rate, seconds] of [[16_000, 2], [8_000, 0.5], [44_100, 1.25]] as const) {
      const wav = encodeWav(new Float32Array(Math.round(rate * seconds)), rate);
      const head = new Uint8Array(await wav.arrayBuffer());
      expect(wavSeconds(head, wav.size)).toBeCloseTo(seconds, 6);
      expect(await probe(wav, "a.wav")).toEqual({ kind: "wav", seconds: expect.closeTo(seconds, 6) as number });
    }
  });

  it("takes the rest of the file when a streamed WAV leaves the data size unset", async () => {
    const wav = new Uint8Array(await encodeWav(new Float32Array(16_000), 16_000).arrayBuffer());
    new DataView(wav.buffer).setUint32(40, 0xffffffff, true);
    expect(wavSeconds(wav, wav.length)).toBeCloseTo(1, 6);
  });

  it("counts TIFF pages in either byte order, up to the asked-for bound", async () => {
    expect(await tiffPages(tiff(1))).toBe(1);
    expect(await tiffPages(tiff(3))).toBe(2);
    expect(await tiffPages(tiff(3), 10)).toBe(3);
    expect(await tiffPages(tiff(3, false), 10)).toBe(3);
    expect(await probe(tiff(2), "scan.tif")).toEqual({ kind: "tiff", pages: 2 });
  });

  it.each([
    ["%PDF-1.7\n…", "doc.bin", { kind: "pdf" }],
    ["fLaC\u0000\u0000", "a.flac", { kind: "audio" }],
    ["OggS\u0000", "a.opus", { kind: "audio" }],
    ["ID3\u0004", "a.mp3", { kind: "audio" }],
    ["\u0000\u0000\u0000\u0018ftypM4A ", "a.m4a", { kind: "audio" }],
    ["hello", "notes.txt", { kind: "other" }],
    ["hello", "odd.opus", { kind: "audio" }],
  ])("tells %j (%s) apart", async (bytes, name, want) => {
    expect(await probe(new Blob([Uint8Array.from(bytes, (c) => c.charCodeAt(0))]), name)).toEqual(want);
  });
});

describe("job helpers", () => {
  it.each([
    ["report.PDF", "", "ocr"],
    ["scan.tiff", "", "ocr"],
    ["photo.jpg", "image/jpeg", "ocr"],
    ["talk.opus", "", "vad"],
    ["meeting.m4a", "audio/x-m4a", "vad"],
    ["blob", "audio/flac", "vad"],
    ["blob", "application/pdf", "ocr"],
    ["notes.txt", "text/plain", null],
  ])("infers the task of %s (%s)", (name, type, task) => {
    expect(inferTask({ name, type })).toBe(task);
  });

  it("reports progress as a share once the total is known", () => {
    expect(jobFraction({ status: "running", progress: { done: 1, total: 4, unit: "page" } })).toBe(0.25);
    expect(jobFraction({ status: "queued", progress: { done: 0, total: null, unit: "page" } })).toBeNull();
    expect(jobFraction({ status: "succeeded", progress: { done: 3, total: 3, unit: "audio_s" } })).toBe(1);
  });

  it("writes OCR text page by page and VAD segments as CSV", () => {
    const box: [number, number][] = [[0, 0], [1, 0], [1, 1], [0, 1]];
    const ocr = { pages: [{ page: 1, width: 10, height: 10, lines: [{ text: "ALPHA", confidence: 0.9, box }, { text: "BETA", confidence: 0.8, box }] }, { page: 2, width: 10, height: 10, lines: [] }] };
    expect(ocrText(ocr)).toBe("--- page 1 ---\nALPHA\nBETA\n\n--- page 2 ---\n");
    expect(vadCsv({ duration_s: 9, segments: [{ start: 0.25, end: 1.5 }, { start: 3, end: 4.1234 }] })).toBe("start,end\n0.250,1.500\n3.000,4.123\n");
    expect(vadCsv({ duration_s: 9, segments: [] })).toBe("start,end\n");
  });

  it("names downloads after the uploaded file", () => {
    expect(downloadName({ id: "job_1", file: { name: "Q3 report.pdf" } }, "txt")).toBe("Q3_report.txt");
    expect(downloadName({ id: "job_1", file: { name: null } }, "json")).toBe("job_1.json");
    expect(downloadName({ id: "job_1", file: { name: "会议.m4a" } }, "csv")).toBe("会议.csv");
  });
});

describe("waveform overview", () => {
  it("keeps each bucket's extremes, channels averaged", () => {
    const left = Float32Array.from([0, 1, 0, -1, 0.5, -0.5, 0, 0]);
    const right = Float32Array.from([0, 1, 0, -1, 0.5, -0.5, 0, 0]);
    const e = envelopeOf([left, right], 4, 8);
    expect([...e.max]).toEqual([1, 0, 0.5, 0]);
    expect([...e.min]).toEqual([0, -1, -0.5, 0]);
  });

  it("spaces ticks and writes clock times", () => {
    expect(tickStep(10)).toBe(2);
    expect(tickStep(3600)).toBe(600);
    expect(tickStep(7200)).toBe(900);
    expect(clock(75.5, 1)).toBe("1:15.5");
    expect(clock(3725)).toBe("1:02:05");
    expect(clock(4.25, 2)).toBe("0:04.25");
  });
});

describe("job errors in the reader's language", () => {
  it("every code a job can end with has its sentence in both catalogs", async () => {
    const { JOB_ERROR_CODES, errorI18n } = await import("@/lib/jobs/failure");
    const { CATALOGS, translator } = await import("@/lib/i18n/config");
    for (const locale of ["en", "zh"] as const) {
      const t = translator(CATALOGS[locale]);
      for (const code of [...JOB_ERROR_CODES, "something_new"]) {
        const m = errorI18n(code);
        const text = t(m.key as Parameters<typeof t>[0], m.params as Record<string, string>);
        expect(text, `${locale} ${code}`).not.toBe(m.key);
        if (code === "something_new") expect(text).toContain("something_new");
      }
    }
  });
});
