/**
 * Silero calls on bare onnxruntime-node sessions (no pipeline, no worker): the floor our per-frame cost is
 * compared against. Same session options as SessionContext with 1 intra-op thread.
 */
import * as ort from "onnxruntime-node";
import { weightPath } from "@/lib/models/weights";
import { ROOT } from "./data";

export type SileroKey = "silero-vad-v4" | "silero-vad-v5" | "silero-vad-v6";

function feedsFor(key: SileroKey, rows: number): Record<string, ort.Tensor> {
  const width = key === "silero-vad-v4" ? 512 : 576;
  const input = new Float32Array(width * rows);
  // A deterministic, speech-like level signal: some ops are data-dependent in cost only through NaN/denormals.
  for (let i = 0; i < input.length; i++) input[i] = Math.sin(i * 0.37) * 0.3;
  const sr = new ort.Tensor("int64", BigInt64Array.of(16000n), []);
  if (key === "silero-vad-v4") {
    return {
      input: new ort.Tensor("float32", input, [rows, 512]),
      h: new ort.Tensor("float32", new Float32Array(128 * rows), [2, rows, 64]),
      c: new ort.Tensor("float32", new Float32Array(128 * rows), [2, rows, 64]),
      sr,
    };
  }
  return { input: new ort.Tensor("float32", input, [rows, 576]), state: new ort.Tensor("float32", new Float32Array(256 * rows), [2, rows, 128]), sr };
}

/**
 * CPU µs per row of one call at each batch size, awaiting calls one after another as a pipeline does. Measured
 * as this process's CPU time (the calling thread is the only busy one: 1 intra-op thread, nothing else running),
 * so other processes taking the core away do not inflate it; the fastest of 3 chunks counts.
 */
export async function rawSileroCost(key: SileroKey, batchSizes: readonly number[], rowsPerSize: number): Promise<Map<number, number>> {
  const session = await ort.InferenceSession.create(weightPath(key, ROOT), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: "all",
  });
  const out = new Map<number, number>();
  for (const n of batchSizes) {
    const feeds = feedsFor(key, n);
    for (let i = 0; i < 50; i++) await session.run(feeds);
    const calls = Math.max(30, Math.round(rowsPerSize / n / 3));
    let best = Infinity;
    for (let chunk = 0; chunk < 3; chunk++) {
      const c0 = process.cpuUsage();
      for (let i = 0; i < calls; i++) await session.run(feeds);
      const c = process.cpuUsage(c0);
      best = Math.min(best, (c.user + c.system) / 1000);
    }
    out.set(n, (best * 1000) / calls / n);
  }
  await session.release();
  return out;
}

/**
 * Silero v5 over a whole 1 s clip the way a VAD request runs it, on a bare session in this thread: 31 calls of one
 * 512-sample frame (plus its 64-sample context), the state carried from call to call. The wall time per clip is the
 * floor an API request for that clip stands on; its inverse, times the workers, is the machine's raw capacity.
 */
export async function bareSileroClip(seconds: number, clipS = 1): Promise<{ clipsPerS: number; p50Ms: number }> {
  const session = await ort.InferenceSession.create(weightPath("silero-vad-v5", ROOT), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: "all",
  });
  const frames = Math.floor((16000 * clipS) / 512);
  const sr = new ort.Tensor("int64", BigInt64Array.of(16000n), []);
  const frame = new Float32Array(576);
  for (let i = 0; i < frame.length; i++) frame[i] = Math.sin(i * 0.37) * 0.3;
  const [probName, stateName] = session.outputNames;
  const clip = async () => {
    let state: ort.Tensor = new ort.Tensor("float32", new Float32Array(256), [2, 1, 128]);
    for (let f = 0; f < frames; f++) {
      const out = await session.run({ input: new ort.Tensor("float32", frame, [1, 576]), state, sr });
      void out[probName];
      state = out[stateName];
    }
  };
  for (let i = 0; i < 20; i++) await clip();
  const times: number[] = [];
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  while (performance.now() < end) {
    const s = performance.now();
    await clip();
    times.push(performance.now() - s);
  }
  const wall = (performance.now() - t0) / 1000;
  await session.release();
  times.sort((a, b) => a - b);
  return { clipsPerS: times.length / wall, p50Ms: times[Math.floor(times.length / 2)] };
}
