/**
 * Audio helpers for the VAD generators: espeak-ng synthesis, sox resampling, trimming, noise, WAV I/O.
 * Needs the `espeak-ng` and `sox` binaries (Debian packages espeak-ng, sox).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Rng } from "./prng";

export interface Voice {
  /** espeak-ng voice, optionally with a variant: "en-us", "en-gb+f3", "cmn" */
  voice: string;
  /** words per minute (espeak default 175) */
  speed: number;
  /** 0..99 (espeak default 50) */
  pitch: number;
}

let tmpDir: string | null = null;
function tmp(): string {
  if (!tmpDir) {
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "pareto-vad-"));
    process.on("exit", () => fs.rmSync(tmpDir!, { recursive: true, force: true }));
  }
  return tmpDir;
}

/**
 * Synthesise `text` with espeak-ng and resample it (sox, repeatable mode, no dither) to `sampleRate`.
 * Returns mono float samples in [-1, 1], untrimmed.
 */
export function synth(text: string, v: Voice, sampleRate: number): Float32Array {
  const dir = tmp();
  const wav = path.join(dir, "utt.wav");
  const raw = path.join(dir, "utt.f32");
  execFileSync("espeak-ng", ["-v", v.voice, "-s", String(v.speed), "-p", String(v.pitch), "-w", wav, "--", text], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  execFileSync(
    "sox",
    ["-R", "-D", "-V1", wav, "-t", "raw", "-e", "floating-point", "-b", "32", "-L", "-c", "1", "-r", String(sampleRate), raw],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const buf = fs.readFileSync(raw);
  const out = new Float32Array(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

/**
 * Remove leading/trailing silence: keep from the first to the last sample whose magnitude exceeds
 * `relThreshold` x peak (default 1% of peak = -40 dB re peak).
 */
export function trimSilence(x: Float32Array, relThreshold = 0.01): Float32Array {
  let peak = 0;
  for (const v of x) peak = Math.max(peak, Math.abs(v));
  if (peak === 0) throw new Error("silent utterance");
  const th = peak * relThreshold;
  let a = 0;
  while (Math.abs(x[a]) <= th) a++;
  let b = x.length - 1;
  while (Math.abs(x[b]) <= th) b--;
  return x.slice(a, b + 1);
}

export function power(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return to > from ? s / (to - from) : 0;
}

/** Unit-variance white gaussian noise. */
export function whiteNoise(n: number, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.gauss();
  return out;
}

/** Unit-variance pink (1/f) noise: Paul Kellet's refined filter on white noise. */
export function pinkNoise(n: number, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
  // warm the filter up so the start is stationary
  for (let i = -4096; i < n; i++) {
    const w = rng.gauss();
    b0 = 0.99886 * b0 + w * 0.0555179;
    b1 = 0.99332 * b1 + w * 0.0750759;
    b2 = 0.969 * b2 + w * 0.153852;
    b3 = 0.8665 * b3 + w * 0.3104856;
    b4 = 0.55 * b4 + w * 0.5329522;
    b5 = -0.7616 * b5 - w * 0.016898;
    const y = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
    b6 = w * 0.115926;
    if (i >= 0) out[i] = y;
  }
  const rms = Math.sqrt(power(out));
  for (let i = 0; i < n; i++) out[i] /= rms;
  return out;
}

/** Unit-power mains hum: fundamental + 2nd/3rd harmonics with a small seeded phase offset. */
export function hum(n: number, sampleRate: number, freq: 50 | 60, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  const ph = [rng.range(0, 2 * Math.PI), rng.range(0, 2 * Math.PI), rng.range(0, 2 * Math.PI)];
  const amp = [1, 0.5, 0.3];
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    let v = 0;
    for (let h = 0; h < 3; h++) v += amp[h] * Math.sin(2 * Math.PI * freq * (h + 1) * t + ph[h]);
    out[i] = v;
  }
  const rms = Math.sqrt(power(out));
  for (let i = 0; i < n; i++) out[i] /= rms;
  return out;
}

/** 16-bit PCM WAV (RIFF, little endian) from per-channel float samples in [-1, 1]. */
export function encodeWav(channels: Float32Array[], sampleRate: number): Buffer {
  const nch = channels.length;
  const n = channels[0].length;
  const dataBytes = n * nch * 2;
  const buf = Buffer.alloc(44 + dataBytes);
  buf.write("RIFF", 0, "ascii");
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write("WAVE", 8, "ascii");
  buf.write("fmt ", 12, "ascii");
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(nch, 22);
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * nch * 2, 28);
  buf.writeUInt16LE(nch * 2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write("data", 36, "ascii");
  buf.writeUInt32LE(dataBytes, 40);
  let o = 44;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < nch; c++) {
      const v = Math.round(channels[c][i] * 32767);
      buf.writeInt16LE(v > 32767 ? 32767 : v < -32768 ? -32768 : v, o);
      o += 2;
    }
  }
  return buf;
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export interface Utterance {
  text: string;
  voice: Voice;
  gain: number;
}

export interface Placed {
  text: string;
  voice: string;
  start: number;
  end: number;
}

export interface MixOptions {
  sampleRate: number;
  utterances: Utterance[];
  /** silence before the first utterance, between utterances (length utterances-1), after the last, in s */
  leadS: number;
  gapsS: number[];
  tailS: number;
  /** for clips without speech */
  emptyDurationS?: number;
  noise?: { kind: "white" | "pink"; snrDb: number };
  /** mains hum, level relative to speech power in dB (speech-to-hum ratio) */
  hum?: { freq: 50 | 60; shrDb: number };
  /** absolute noise level in dBFS (RMS) when there is no speech to reference (no-speech clips) */
  noiseFloorDbfs?: number;
  channels: 1 | 2;
  rng: Rng;
}

/** Place utterances, add noise, return per-channel audio and the exact speech intervals (in samples). */
export function mix(o: MixOptions): { audio: Float32Array[]; placed: Placed[]; intervals: [number, number][] } {
  const sr = o.sampleRate;
  const segs = o.utterances.map((u) => {
    const x = trimSilence(synth(u.text, u.voice, sr));
    for (let i = 0; i < x.length; i++) x[i] *= u.gain;
    return x;
  });
  const starts: number[] = [];
  let pos = Math.round(o.leadS * sr);
  segs.forEach((s, i) => {
    starts.push(pos);
    pos += s.length;
    if (i < segs.length - 1) pos += Math.round(o.gapsS[i] * sr);
  });
  const total = segs.length ? pos + Math.round(o.tailS * sr) : Math.round((o.emptyDurationS ?? 3) * sr);
  const speech = new Float32Array(total);
  segs.forEach((s, i) => speech.set(s, starts[i]));

  // speech power over speech samples only
  let ps = 0;
  let ns = 0;
  segs.forEach((s) => {
    ps += power(s) * s.length;
    ns += s.length;
  });
  ps = ns ? ps / ns : 0;
  const refPower = ps > 0 ? ps : Math.pow(10, (o.noiseFloorDbfs ?? -40) / 10);

  const chanGains = o.channels === 2 ? [1, o.rng.range(0.55, 0.85)] : [1];
  const audio = chanGains.map((g) => {
    const ch = new Float32Array(total);
    for (let i = 0; i < total; i++) ch[i] = speech[i] * g;
    if (o.noise) {
      const n = o.noise.kind === "white" ? whiteNoise(total, o.rng) : pinkNoise(total, o.rng);
      const a = ps > 0 ? Math.sqrt(refPower / Math.pow(10, o.noise.snrDb / 10)) : Math.sqrt(refPower);
      for (let i = 0; i < total; i++) ch[i] += a * n[i];
    }
    if (o.hum) {
      const h = hum(total, sr, o.hum.freq, o.rng);
      const a = ps > 0 ? Math.sqrt(refPower / Math.pow(10, o.hum.shrDb / 10)) : Math.sqrt(refPower);
      for (let i = 0; i < total; i++) ch[i] += a * h[i];
    }
    return ch;
  });
  // keep headroom: scale everything down if the mix would clip
  let peak = 0;
  for (const ch of audio) for (const v of ch) peak = Math.max(peak, Math.abs(v));
  if (peak > 0.95) for (const ch of audio) for (let i = 0; i < ch.length; i++) ch[i] *= 0.95 / peak;

  const intervals = segs.map((s, i) => [starts[i], starts[i] + s.length] as [number, number]);
  const placed = o.utterances.map((u, i) => ({
    text: u.text,
    voice: `${u.voice.voice} s${u.voice.speed} p${u.voice.pitch}`,
    start: round3(intervals[i][0] / sr),
    end: round3(intervals[i][1] / sr),
  }));
  return { audio, placed, intervals };
}
