/**
 * Background priority in the real runtime (real worker threads, real Silero models): jobs' VAD chunks run in the
 * background lane and give exactly one pass's probabilities; interactive requests never wait behind them; with the
 * lane off, queued interactive requests are dispatched before queued background ones. Orderings are counted, never
 * timed.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import type { EntryOutput } from "@/lib/models/run-entry";
import { decodeWav, resample, sileroModel, speechProbabilities } from "@/lib/models/vad";
import type { VadStreamState } from "@/lib/models/vad/stream";
import { Runtime, runtimeConfigFromEnv, RuntimeError, type RunOptions, type RuntimeConfig } from "@/lib/runtime";
import { directContext } from "@/tests/support/direct-context";

const root = path.resolve(__dirname, "../..");
const speechWav = fs.readFileSync(path.join(root, "public/samples/speech-en.wav"));
const MODEL = "silero-vad-v5";
const CHUNK = 960_000;

const runtimes: Runtime[] = [];
function runtime(over: Partial<RuntimeConfig> = {}): Runtime {
  const rt = new Runtime(runtimeConfigFromEnv({ root, workers: 1, ...over }));
  runtimes.push(rt);
  return rt;
}
const direct = directContext();
afterAll(async () => {
  await Promise.all(runtimes.map((r) => r.close()));
  await direct.close();
});

type Chunk = Extract<EntryOutput, { task: "vad-chunk" }>;
type Vad = Extract<EntryOutput, { task: "vad" }>;

/** `seconds` of the English sample repeated with pauses, at 16 kHz. */
function recording(seconds: number): Float32Array {
  const a = decodeWav(speechWav);
  const speech = resample(a.samples, a.sampleRate, 16000);
  const out = new Float32Array(Math.round(seconds * 16000));
  for (let at = 8000, i = 0; at < out.length; i++) {
    out.set(speech.subarray(0, Math.min(speech.length, out.length - at)), at);
    at += speech.length + 16000 * (1 + (i % 4));
  }
  return out;
}

function bytes(samples: Float32Array): Uint8Array {
  const b = Buffer.alloc(samples.length * 4);
  for (let i = 0; i < samples.length; i++) b.writeFloatLE(samples[i], i * 4);
  return b;
}

const background: RunOptions = { priority: "background" };

describe("background priority (real runtime)", () => {
  it("runs a recording's chunks in the background lane with the state carried: one pass's probabilities exactly", async () => {
    const rt = runtime({ backgroundIdleMs: 100 });
    const signal = recording(75);
    const probs: number[] = [];
    let state: VadStreamState | null = null;
    for (let from = 0; from < signal.length; from += CHUNK) {
      const r = await rt.run<Chunk>(MODEL, bytes(signal.subarray(from, from + CHUNK)), { stream: { state } }, background);
      expect(r.output.task).toBe("vad-chunk");
      probs.push(...r.output.result.probs);
      state = JSON.parse(JSON.stringify(r.output.result.state)) as VadStreamState;
    }
    expect(state?.frames).toBe(Math.ceil(signal.length / 512));
    const onePass = await speechProbabilities(signal, sileroModel("v5"), direct);
    expect(probs).toEqual(Array.from(onePass));
    // Labelled apart: the interactive figures (dashboards, routing) never see a 60 s chunk.
    expect(rt.metrics.background.get(MODEL)?.requests).toBe(2);
    expect(rt.metrics.models.get(MODEL)).toBeUndefined();
    // Stopped once idle, started again on the next background request.
    await vi.waitFor(() => expect(rt.backgroundLaneRunning).toBe(false), { timeout: 20_000, interval: 50 });
    await rt.run<Chunk>(MODEL, bytes(signal.subarray(0, 512)), { stream: { state: null } }, background);
    expect(rt.backgroundLaneRunning).toBe(true);
  });

  it("interactive requests do not wait behind background chunks", async () => {
    const rt = runtime();
    await rt.load(MODEL);
    const chunk = bytes(recording(60));
    const order: string[] = [];
    const bg = Array.from({ length: 4 }, (_, i) =>
      rt.run<Chunk>(MODEL, chunk, { stream: { state: null } }, background).then(() => order.push(`background ${i}`)),
    );
    const interactive = rt.run<Vad>(MODEL, speechWav).then((r) => {
      order.push("interactive");
      return r;
    });
    const r = await interactive;
    expect(r.output.result.segments.length).toBeGreaterThan(0);
    await Promise.all(bg);
    // One background request at a time in the lane: the last of four is still waiting when the interactive one is done.
    expect(order.indexOf("interactive")).toBeLessThan(order.indexOf("background 3"));
    expect(rt.metrics.models.get(MODEL)?.requests).toBe(1);
    expect(rt.metrics.background.get(MODEL)?.requests).toBe(4);
  });

  it("with the lane off, a queued interactive request is dispatched before queued background ones", async () => {
    // One worker with one slot: the first background request takes it (a one-slot pool has no other), the rest queue.
    const rt = runtime({ backgroundLane: false, slotsPerWorker: 1 });
    await rt.load(MODEL);
    const chunk = bytes(recording(20));
    const order: string[] = [];
    const all = [
      ...[0, 1, 2].map((i) => rt.run(MODEL, chunk, { stream: { state: null } }, background).then(() => order.push(`background ${i}`))),
      rt.run(MODEL, speechWav).then(() => order.push("interactive")),
    ];
    await Promise.all(all);
    expect(order).toEqual(["background 0", "interactive", "background 1", "background 2"]);
  });

  it("with the lane off, background work never takes the last free slot", async () => {
    const rt = runtime({ backgroundLane: false, slotsPerWorker: 2 });
    await rt.load(MODEL);
    const chunk = bytes(recording(20));
    const order: string[] = [];
    // Two slots: the first background request takes one; the second waits although a slot is free.
    const bg = [0, 1].map((i) => rt.run(MODEL, chunk, { stream: { state: null } }, background).then(() => order.push(`background ${i}`)));
    await vi.waitFor(() => expect(rt.status().find((s) => s.id === MODEL)?.inFlight).toBe(1), { interval: 5 });
    expect(rt.status().find((s) => s.id === MODEL)?.queued).toBe(1);
    await Promise.all([...bg, rt.run(MODEL, speechWav).then(() => order.push("interactive"))]);
    expect(order.indexOf("background 1")).toBe(order.length - 1);
  });

  it("a background request cancelled while it waits is dropped, and the caller's deadline applies", async () => {
    const rt = runtime();
    await rt.load(MODEL);
    const chunk = bytes(recording(60));
    const first = rt.run(MODEL, chunk, { stream: { state: null } }, background);
    const abort = new AbortController();
    const second = rt.run(MODEL, chunk, { stream: { state: null } }, { ...background, signal: abort.signal });
    const third = rt.run(MODEL, chunk, { stream: { state: null } }, { ...background, timeoutMs: 1 });
    abort.abort();
    await expect(second).rejects.toSatisfy((e) => e instanceof RuntimeError && e.code === "cancelled");
    await expect(third).rejects.toSatisfy((e) => e instanceof RuntimeError && e.code === "timeout");
    await first;
  });
});
