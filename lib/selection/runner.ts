import "server-only";
/**
 * The benchmark runner: for each servable (a built-in variant or an uploaded version, resolved through the
 * runtime's entries), static facts of its ONNX files, a cold load, accuracy on the eval set (a `tensor` model's own
 * labelled file, when it has one), and latency at concurrency 1, 4 and 16 — all through a real Runtime (the
 * server's own, sharing its queues with live traffic, or a fresh one from the CLI). Rows are handed to a sink after every step, so a
 * cancelled or failed run keeps what it measured. Cancellation is checked between steps and aborts in-flight
 * requests of the current step.
 */
import { setMaxListeners } from "node:events";
import { fileByRole, type CatalogEntry, type WeightSpec } from "@/lib/models/catalog";
import type { EntryOutput } from "@/lib/models/run-entry";
import type { ClassifyItem } from "@/lib/models/text/classify";
import type { Feeds, Outputs } from "@/lib/models/tensor";
import type { ModelStatus, RunOptions, RunResult } from "@/lib/runtime";
import { loadBytes, ocrEvalSet, vadEvalSet, type EvalSet, type OcrEvalItem, type VadEvalItem } from "./eval-sets";
import { mean, quantile } from "@/lib/stats";
import { closedLoop, RssSampler } from "./load-gen";
import { CONCURRENCIES, MODES, STEPS, type BenchMode, type ModePlan, type RunProgress, type StepName, type StepProgress } from "./plan";
import { scoreOcr, scoreVad, type ScoredMetric } from "./scoring";
import { clearForColdLoad, staticFacts, weightBytes } from "./steps";
import { randomInputs, readTensorEval, scoreTensor, type TensorEvalSource, type TensorInputs } from "./tensor-eval";
import { readLangidEval, readTextEval, scoreText, type TextInputs } from "./text-eval";

/** The part of the runtime the runner uses (the real Runtime satisfies it). */
export interface BenchRuntime {
  readonly config: { root: string; workers: number; intraOpThreads: number; batching: boolean };
  run<T = unknown>(modelId: string, input: Uint8Array, options?: Record<string, unknown>, opts?: RunOptions): Promise<RunResult<T>>;
  infer(modelId: string, weightKey: string, feeds: Feeds, opts?: RunOptions): Promise<RunResult<Outputs>>;
  /** The servable an id names (built-ins, and uploaded versions the runtime was told about). */
  entry(id: string): CatalogEntry | undefined;
  load(modelId: string): Promise<void>;
  unload(modelId: string): boolean;
  status(): ModelStatus[];
}

export interface BenchRow {
  /** The model (a built-in's id, an uploaded model's id)… */
  modelId: string;
  /** …and, for an uploaded servable, its version (null for a built-in). */
  version: string | null;
  metric: string;
  value: number;
  unit: string;
  conditions: Record<string, unknown>;
}

export interface BenchSink {
  rows(rows: BenchRow[]): Promise<void>;
  progress(p: RunProgress): Promise<void>;
}

export interface RunnerOptions {
  runtime: BenchRuntime;
  models: readonly string[];
  mode: BenchMode;
  hostFingerprint: string;
  sink: BenchSink;
  /** "server" when running inside the web server (shared queues), "cli" for a fresh runtime. */
  where: "server" | "cli";
  signal?: AbortSignal;
  /** Checked between steps (e.g. a cancel flag in the database, so another process can cancel). */
  shouldCancel?: () => Promise<boolean>;
  /** Test overrides of the mode's plan. */
  plan?: Partial<ModePlan>;
  /** Labelled eval files of uploaded `tensor` servables, by servable id (without one: latency and memory only). */
  tensorEval?: ReadonlyMap<string, TensorEvalSource>;
}

export interface RunOutcome {
  status: "succeeded" | "failed" | "cancelled";
  errors: string[];
  progress: RunProgress;
}

const MB = 1024 * 1024;
const round = (v: number, d = 3) => Math.round(v * 10 ** d) / 10 ** d;

class Cancelled extends Error {}

type Ocr = Extract<EntryOutput, { task: "ocr" }>;
type Vad = Extract<EntryOutput, { task: "vad" }>;
type Text = Extract<EntryOutput, { task: "text" }>;

/** What a servable is measured on: encoded inputs of a task's eval set, or a tensor model's feeds. */
type Inputs =
  | { kind: "task"; name: string; subset: number; total: number; set: EvalSet<OcrEvalItem> | EvalSet<VadEvalItem>; bytes: Buffer[] }
  | { kind: "tensor"; name: string; subset: number; total: number; tensor: TensorInputs; spec: WeightSpec; evalError?: string }
  | { kind: "text"; name: string; subset: number; total: number; text: TextInputs };

/**
 * Starts the worker threads and ONNX Runtime before the first cold load, so that load doesn't also pay for them:
 * loads and unloads the smallest variant not already loaded (a few ms when the server has been up).
 */
async function warmUp(rt: BenchRuntime, entries: readonly CatalogEntry[]): Promise<void> {
  const idle = rt.status().filter((s) => s.state === "UNLOADED" && entries.some((e) => e.id === s.id));
  const pick = idle.map((s) => rt.entry(s.id)!).sort((a, b) => a.weights.length - b.weights.length)[0];
  if (rt.status().some((s) => s.state === "READY") || !pick) return;
  await rt.load(pick.id).catch(() => undefined);
  rt.unload(pick.id);
}

export async function runBenchmark(o: RunnerOptions): Promise<RunOutcome> {
  const plan: ModePlan = { ...MODES[o.mode], ...o.plan };
  // Every request in flight listens on the run's signal (up to 16 at once): not a leak.
  if (o.signal) setMaxListeners(64, o.signal);
  // Smallest weights first: freed memory is reused by later loads, so a small model measured after a big one
  // would show almost no RSS growth.
  const entries = o.models
    .map((id) => o.runtime.entry(id))
    .filter((e): e is CatalogEntry => Boolean(e))
    .map((e) => ({ e, bytes: weightBytes(e, o.runtime.config.root) }))
    .sort((a, b) => a.bytes - b.bytes)
    .map((x) => x.e);
  const progress: RunProgress = {
    mode: o.mode,
    hostFingerprint: o.hostFingerprint,
    models: entries.map((e) => ({ id: e.id, task: e.task, steps: STEPS.map((name): StepProgress => ({ name, status: "pending" })) })),
    current: null,
    heartbeatAt: new Date().toISOString(),
  };
  const errors: string[] = [];
  let lastReport = 0;
  const report = async (force = false) => {
    const now = Date.now();
    if (!force && now - lastReport < 500) return;
    lastReport = now;
    progress.heartbeatAt = new Date(now).toISOString();
    // Progress is best effort (it is also fired without awaiting): a failed write must not fail, or crash, the run.
    await o.sink.progress(structuredClone(progress)).catch(() => undefined);
  };
  const checkCancel = async () => {
    if (o.signal?.aborted || (await o.shouldCancel?.())) throw new Cancelled();
  };

  // Task eval sets are shared by the task's servables; a tensor model's inputs are its own.
  const inputs = new Map<string, Inputs>();
  const inputsFor = (e: CatalogEntry): Inputs => {
    // A text model's eval set is its own hold-out (uploaded/trained) or the language identifier's (built-in).
    const cacheKey = e.task === "tensor" || (e.task === "text" && !e.builtIn) ? `${e.task}:${e.id}` : e.task;
    let i = inputs.get(cacheKey);
    if (!i) {
      if (e.task === "tensor") {
        const spec = fileByRole(e, "model")?.spec;
        if (!spec) throw new Error(`${e.id} has no model file with a signature`);
        const source = o.tensorEval?.get(e.id);
        let tensor = randomInputs(spec);
        let evalError: string | undefined;
        try {
          if (source) tensor = readTensorEval(source, spec, plan.tensorItems);
        } catch (err) {
          // An unusable eval file fails the accuracy step only: latency and memory are measured on random inputs.
          evalError = err instanceof Error ? err.message : String(err);
        }
        i = { kind: "tensor", name: tensor.name, subset: tensor.items.length, total: tensor.total, tensor, spec, ...(evalError ? { evalError } : {}) };
      } else if (e.task === "text") {
        const source = o.tensorEval?.get(e.id);
        if (!e.builtIn && !source) throw new Error(`${e.id} has no labelled eval file`);
        const text = source ? readTextEval(source.path, `eval:${source.sha256.slice(0, 12)}`, plan.textItems) : readLangidEval(o.runtime.config.root, plan.textItems);
        i = { kind: "text", name: text.name, subset: text.items.length, total: text.total, text };
      } else {
        const set = e.task === "ocr" ? ocrEvalSet(o.runtime.config.root, plan.ocrItems) : vadEvalSet(o.runtime.config.root, plan.vadItems);
        i = { kind: "task", name: set.name, subset: set.items.length, total: set.total, set, bytes: loadBytes(set) };
      }
      inputs.set(cacheKey, i);
    }
    return i;
  };
  /** One request of a servable's i-th input (round-robin), through the route its task takes in production. */
  const send = (e: CatalogEntry, i: number): Promise<RunResult> => {
    const inp = inputsFor(e);
    if (inp.kind === "tensor") return o.runtime.infer(e.id, inp.spec.key, inp.tensor.items[i % inp.tensor.items.length].feeds, { signal: o.signal });
    if (inp.kind === "text") return o.runtime.run(e.id, inp.text.single[i % inp.text.single.length], {}, { signal: o.signal });
    return o.runtime.run(e.id, inp.bytes[i % inp.bytes.length], {}, { signal: o.signal });
  };
  /** The accuracy pass: every eval item through the runtime (a few at a time), scored as the task scores. */
  const score = async (e: CatalogEntry, inp: Inputs, s: StepProgress): Promise<ScoredMetric[]> => {
    if (inp.kind === "text") return scoreTextChunks(e, inp.text, s);
    const n = inp.kind === "tensor" ? inp.tensor.items.length : inp.bytes.length;
    s.total = n;
    s.done = 0;
    const outputs: unknown[] = new Array(n);
    let next = 0;
    const worker = async () => {
      while (next < n) {
        const i = next++;
        if (o.signal?.aborted) throw new Cancelled();
        outputs[i] =
          inp.kind === "tensor"
            ? (await o.runtime.infer(e.id, inp.spec.key, inp.tensor.items[i].feeds, { signal: o.signal })).output
            : (await o.runtime.run<EntryOutput>(e.id, inp.bytes[i], {}, { signal: o.signal })).output;
        s.done = (s.done ?? 0) + 1;
        void report();
      }
    };
    await Promise.all(Array.from({ length: Math.min(plan.accuracyConcurrency, n) }, worker));
    if (inp.kind === "tensor") return scoreTensor(inp.tensor.metric!, inp.tensor.items, outputs as Outputs[], inp.spec.outputs[0].name);
    return e.task === "ocr"
      ? scoreOcr(inp.set.items as OcrEvalItem[], (outputs as Ocr[]).map((x) => x.result.lines.map((l) => l.text)))
      : scoreVad(inp.set.items as VadEvalItem[], (outputs as Vad[]).map((x) => x.result.segments));
  };

  /** A text model's accuracy pass: the eval items in chunks (a few chunks at a time), labels in item order. */
  const scoreTextChunks = async (e: CatalogEntry, t: TextInputs, s: StepProgress): Promise<ScoredMetric[]> => {
    s.total = t.items.length;
    s.done = 0;
    const predicted: ClassifyItem[] = new Array(t.items.length);
    let next = 0;
    const worker = async () => {
      while (next < t.chunks.length) {
        const c = t.chunks[next++];
        if (o.signal?.aborted) throw new Cancelled();
        const out = (await o.runtime.run<Text>(e.id, c.bytes, {}, { signal: o.signal })).output.result.items;
        out.forEach((it, k) => (predicted[c.from + k] = it));
        s.done = (s.done ?? 0) + out.length;
        void report();
      }
    };
    await Promise.all(Array.from({ length: Math.min(plan.accuracyConcurrency, t.chunks.length) }, worker));
    return scoreText(t.items, predicted);
  };

  let cancelled = false;
  // Variants unloaded for another's cold start, reloaded once the whole run is over (not in between, or the next
  // variant's load would find their shared weights loading and not be cold).
  const reloadAfter = new Set<string>();
  await report(true);
  await warmUp(o.runtime, entries);
  for (const [mi, entry] of entries.entries()) {
    const steps = progress.models[mi].steps;
    const step = (n: StepName) => steps.find((s) => s.name === n)!;
    const base = (extra: Record<string, unknown> = {}) => {
      const inp = inputsFor(entry);
      return {
        mode: o.mode,
        where: o.where,
        evalSet: inp.name,
        subset: inp.subset,
        of: inp.total,
        options: { ...entry.defaults },
        workers: o.runtime.config.workers,
        intraOpThreads: o.runtime.config.intraOpThreads,
        batching: o.runtime.config.batching,
        ...extra,
      };
    };
    const emit = (rows: Omit<BenchRow, "modelId" | "version">[]) => o.sink.rows(rows.map((r) => ({ ...r, modelId: entry.modelId, version: entry.builtIn ? null : entry.version })));
    const wasLoaded = o.runtime.status().find((s) => s.id === entry.id)?.state === "READY";
    const sampler = new RssSampler();
    let baseline = 0;

    const runStep = async (name: StepName, fn: (s: StepProgress) => Promise<void>): Promise<boolean> => {
      const s = step(name);
      if (cancelled) {
        s.status = "cancelled";
        return false;
      }
      try {
        await checkCancel();
        s.status = "running";
        progress.current = { model: entry.id, step: name };
        await report(true);
        const t0 = performance.now();
        await fn(s);
        s.ms = Math.round(performance.now() - t0);
        s.status = "done";
        return true;
      } catch (e) {
        if (e instanceof Cancelled || o.signal?.aborted) {
          cancelled = true;
          s.status = "cancelled";
          return false;
        }
        s.status = "failed";
        s.error = e instanceof Error ? e.message : String(e);
        errors.push(`${entry.id} ${name}: ${s.error}`);
        return false;
      } finally {
        await report(true);
      }
    };

    await runStep("static", () => emit(staticFacts(entry, o.runtime.config.root)));

    const loaded = await runStep("load", async () => {
      const { cold, unloaded } = clearForColdLoad(entry, o.runtime.status(), (id) => o.runtime.unload(id), (id) => o.runtime.entry(id));
      for (const id of unloaded) reloadAfter.add(id);
      // Workers release sessions asynchronously: give them a moment before taking the baseline.
      await new Promise((r) => setTimeout(r, 150));
      baseline = process.memoryUsage().rss;
      sampler.start();
      const t0 = performance.now();
      await o.runtime.load(entry.id);
      const ms = performance.now() - t0;
      const added = Math.max(0, process.memoryUsage().rss - baseline);
      await emit([
        { metric: "cold_load_ms", value: round(ms, 1), unit: "ms", conditions: base({ cold }) },
        { metric: "memory_load_mb", value: round(added / MB, 1), unit: "MB", conditions: base({ cold, how: "RSS delta across the load (all workers)" }) },
      ]);
    });

    if (loaded) {
      let inp: Inputs | null = null;
      const failAccuracy = (error: string) => {
        const s = step("accuracy");
        s.status = "failed";
        s.error = error;
        errors.push(`${entry.id} accuracy: ${error}`);
      };
      try {
        inp = inputsFor(entry);
      } catch (e) {
        // Unreadable eval data fails the accuracy step, not the whole run.
        failAccuracy(e instanceof Error ? e.message : String(e));
      }
      if (inp?.kind === "tensor" && inp.evalError) {
        failAccuracy(inp.evalError);
        inp = null;
      }
      if (inp?.kind === "tensor" && !inp.tensor.metric) step("accuracy").status = "skipped";
      else if (inp) {
        const measured = inp;
        await runStep("accuracy", async (s) => {
          const scored = await score(entry, measured, s);
          await emit(scored.map((m) => ({ ...m, value: round(m.value, 5), conditions: base(measured.kind === "tensor" ? { metric: measured.tensor.metric } : {}) })));
        });
      }

      for (const c of CONCURRENCIES) {
        await runStep(`latency_c${c}`, async (s) => {
          const samples = plan.samples[c];
          s.total = samples;
          s.done = 0;
          const r = await closedLoop((i) => send(entry, i), c, samples, {
            signal: o.signal,
            onProgress: (d) => {
              s.done = d;
              void report();
            },
          });
          if (o.signal?.aborted) throw new Cancelled();
          if (!r.latenciesMs.length) throw new Error(`every request failed (${r.errors}): ${r.firstError ?? "unknown error"}`);
          const cond = base({ concurrency: c, samples: r.latenciesMs.length, errors: r.errors, inputs: inputsFor(entry).name === "random" ? "random inputs from the signature" : "eval subset, round-robin" });
          await emit([
            { metric: "latency_p50_ms", value: round(quantile(r.latenciesMs, 0.5), 2), unit: "ms", conditions: cond },
            { metric: "latency_p95_ms", value: round(quantile(r.latenciesMs, 0.95), 2), unit: "ms", conditions: cond },
            { metric: "latency_p99_ms", value: round(quantile(r.latenciesMs, 0.99), 2), unit: "ms", conditions: cond },
            { metric: "latency_mean_ms", value: round(mean(r.latenciesMs), 2), unit: "ms", conditions: cond },
            { metric: "compute_mean_ms", value: round(mean(r.computeMs), 2), unit: "ms", conditions: cond },
            { metric: "throughput_rps", value: round((r.latenciesMs.length * 1000) / r.wallMs, 2), unit: "req/s", conditions: cond },
          ]);
        });
      }
      const peak = sampler.stop();
      if (step("accuracy").status === "done" || step("latency_c1").status === "done") {
        await emit([{ metric: "memory_peak_mb", value: round(Math.max(0, peak - baseline) / MB, 1), unit: "MB", conditions: base({ how: "peak RSS during load, accuracy and latency steps minus RSS before the cold load" }) }]);
      }
    } else {
      sampler.stop();
      for (const s of steps) if (s.status === "pending") s.status = cancelled ? "cancelled" : "skipped";
    }

    // Leave the runtime as we found it: unload what the run loaded (unless live traffic is using it now).
    if (!wasLoaded && !o.runtime.status().some((s) => s.id === entry.id && s.queued + s.inFlight > 0)) o.runtime.unload(entry.id);
    if (cancelled) {
      for (const m of progress.models.slice(mi + 1)) for (const s of m.steps) s.status = "cancelled";
      break;
    }
  }
  for (const id of reloadAfter) if (o.runtime.status().find((s) => s.id === id)?.state === "UNLOADED") void o.runtime.load(id).catch(() => undefined);
  progress.current = null;
  await report(true);
  return { status: cancelled ? "cancelled" : errors.length ? "failed" : "succeeded", errors, progress };
}
