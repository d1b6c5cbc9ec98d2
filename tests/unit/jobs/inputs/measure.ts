/**
 * Measurement, not a test (CI does not run it): peak RSS growth while a 2-hour WAV streams through openInput, and
 * decode throughput (audio seconds per second) per format. Needs Debian's ffmpeg for the compressed files.
 *
 *   node scripts/build-worker.mjs
 *   node --conditions=react-server --import tsx tests/unit/jobs/inputs/measure.ts [minutes=120]
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openInput } from "@/lib/jobs/inputs";
import { makePdf, speechLike } from "./helpers";

const minutes = Number(process.argv[2] ?? 120);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pareto-measure-"));

/** A long 44.1 kHz stereo 16-bit WAV, written block by block. */
function writeWav(file: string, seconds: number, rate = 44100, channels = 2): void {
  const frames = seconds * rate;
  const dataBytes = frames * channels * 2;
  const head = Buffer.alloc(44);
  head.write("RIFF", 0);
  head.writeUInt32LE(36 + dataBytes, 4);
  head.write("WAVEfmt ", 8);
  head.writeUInt32LE(16, 16);
  head.writeUInt16LE(1, 20);
  head.writeUInt16LE(channels, 22);
  head.writeUInt32LE(rate, 24);
  head.writeUInt32LE(rate * channels * 2, 28);
  head.writeUInt16LE(channels * 2, 32);
  head.writeUInt16LE(16, 34);
  head.write("data", 36);
  head.writeUInt32LE(dataBytes, 40);
  const fd = fs.openSync(file, "w");
  fs.writeSync(fd, head);
  const block = speechLike(rate * 10, rate, 7);
  const buf = Buffer.alloc(block.length * channels * 2);
  for (let i = 0; i < block.length; i++) for (let c = 0; c < channels; c++) buf.writeInt16LE(Math.round(block[i] * 32767 * (c ? 0.8 : 1)), (i * channels + c) * 2);
  for (let s = 0; s < seconds; s += 10) fs.writeSync(fd, buf, 0, Math.min(10, seconds - s) * rate * channels * 2);
  fs.closeSync(fd);
}

/**
 * Peak RSS growth from before the reader opened (`peakMb`: the thread, its code, its buffers) and from its first
 * unit on (`streamMb`: what grows with the recording's length). Run under tsx, whose loader hooks also load into
 * the worker thread: the fixed part is ~70 MB larger here than in the server.
 */
async function stream(file: string): Promise<{ audioS: number; wallS: number; chunks: number; peakMb: number; streamMb: number; units: number }> {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t0 = performance.now();
  const r = await openInput(file, { maxPages: 100 });
  let audioS = 0;
  let chunks = 0;
  let afterFirst = 0;
  for (let u = await r.next(); u; u = await r.next()) {
    if (u.kind === "audio") audioS += u.seconds;
    if (chunks++ === 0) afterFirst = process.memoryUsage().rss;
  }
  await r.close();
  const wallS = (performance.now() - t0) / 1000;
  clearInterval(timer);
  return { audioS, wallS, chunks, units: r.info.units, peakMb: (peak - base) / 2 ** 20, streamMb: (peak - afterFirst) / 2 ** 20 };
}

async function main(): Promise<void> {
  const wav = path.join(dir, "long.wav");
  writeWav(wav, minutes * 60);
  console.log(`WAV ${minutes} min, 44.1 kHz stereo 16-bit: ${(fs.statSync(wav).size / 2 ** 20).toFixed(0)} MB`);
  const w = await stream(wav);
  console.log(`wav: ${w.chunks}/${w.units} chunks, ${w.audioS.toFixed(0)} s of audio in ${w.wallS.toFixed(1)} s = ${(w.audioS / w.wallS).toFixed(0)}× real time; peak RSS growth ${w.peakMb.toFixed(0)} MB (${w.streamMb.toFixed(0)} MB after the first chunk)`);

  const short = Math.min(minutes, 10) * 60;
  const src = path.join(dir, "short.wav");
  writeWav(src, short);
  for (const [ext, args] of [
    ["flac", ["-ar", "44100", "-ac", "2"]],
    ["mp3", ["-ar", "44100", "-ac", "2", "-b:a", "128k", "-c:a", "libmp3lame"]],
    ["opus", ["-ac", "1", "-b:a", "32k", "-c:a", "libopus"]],
    ["m4a", ["-ar", "44100", "-ac", "2", "-b:a", "128k", "-c:a", "aac"]],
  ] as const) {
    const out = path.join(dir, `short.${ext}`);
    execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-i", src, ...args, out]);
    const m = await stream(out);
    console.log(`${ext}: ${short / 60} min, ${m.chunks}/${m.units} chunks, ${(m.audioS / m.wallS).toFixed(0)}× real time; peak RSS growth ${m.peakMb.toFixed(0)} MB (${m.streamMb.toFixed(0)} MB after the first chunk)`);
  }
  const pdf = path.join(dir, "pages.pdf");
  fs.writeFileSync(pdf, await makePdf(20));
  const t0 = performance.now();
  const m = await stream(pdf);
  console.log(`pdf: 20 Letter pages at 200 dpi in ${((performance.now() - t0) / 1000).toFixed(1)} s; peak RSS growth ${m.peakMb.toFixed(0)} MB`);
  fs.rmSync(dir, { recursive: true, force: true });
}

void main();
