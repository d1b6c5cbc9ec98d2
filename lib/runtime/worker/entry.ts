/**
 * Inference worker thread. Owns ONNX Runtime sessions (loaded lazily, shared by every request in this worker),
 * runs whole pipelines — image/audio decoding, pre/post-processing and inference — so none of it blocks the
 * server's event loop, and merges concurrent calls through the Batcher. Bundled to build/runtime-worker.mjs.
 */
import { parentPort, workerData } from "node:worker_threads";
import { isWeightKey, weightSpec, type EntryFile, type WeightSpec } from "@/lib/models/catalog";
import { loadCharset } from "@/lib/models/ocr/ctc-decode";
import { runEntry } from "@/lib/models/run-entry";
import { InputError, type Feeds, type InferenceContext, type Outputs } from "@/lib/models/tensor";
import { resolveWeightPath } from "@/lib/models/weights";
import { Batcher } from "../batching";
import { SessionContext } from "../session-context";
import { lowerThreadPriority } from "./priority";
import type { FromWorker, RunStats, ToWorker } from "./protocol";
import { giveWay, type YieldGate } from "./yield";

interface Config {
  workerId: number;
  intraOpThreads: number;
  batching: boolean;
  root: string;
  testHooks: boolean;
  nice: number;
  /** Set in the background lane's worker: give way to interactive requests between model runs. */
  yieldTo?: YieldGate;
}

const config = workerData as Config;
// Before any session exists: ONNX Runtime's own threads (intra-op > 1) inherit the niceness of the thread creating them.
lowerThreadPriority(config.nice);
const port = parentPort!;
/** Uploaded files this worker has been told about (with a load or a request's entry): their specs and hashes. */
const files = new Map<string, EntryFile>();
function learn(list: readonly EntryFile[]) {
  for (const f of list) files.set(f.key, f);
}
function specFor(key: string): WeightSpec | undefined {
  return isWeightKey(key) ? weightSpec(key) : files.get(key)?.spec;
}
const sessions = new SessionContext({
  intraOpThreads: config.intraOpThreads,
  resolvePath: (k) => resolveWeightPath(k, config.root),
  specFor,
  sha256For: (k) => files.get(k)?.sha256,
});
const cancelled = new Set<number>();
/** Requests started here and not yet answered; the highest id seen, to tell a late cancel from an early one. */
const running = new Set<number>();
let highestId = 0;
/** Requests this worker is running now; a lone one runs its model calls without waiting for batch company. */
let active = 0;
const yieldCell = config.yieldTo ? new Int32Array(config.yieldTo.buffer) : undefined;
const batcher = new Batcher(sessions, (k) => specFor(k)?.batching, config.batching, () => active - 1);

function post(msg: FromWorker, transfer: ArrayBuffer[] = []) {
  port.postMessage(msg, transfer);
}

class CancelledError extends Error {}

/** The context one request sees: counts its share of batched runs and stops between runs once cancelled. */
class RequestContext implements InferenceContext {
  readonly stats: RunStats = { computeMs: 0, workerMs: 0, batches: [] };
  /** Wall time with at least one run outstanding (a union: pipelines may await several runs at once). */
  waitedMs = 0;
  /** Wall time spent giving way to interactive requests (background lane). */
  yieldedMs = 0;
  private outstanding = 0;
  private since = 0;
  constructor(private readonly id: number) {}
  async run(weightKey: string, feeds: Feeds): Promise<Outputs> {
    if (cancelled.has(this.id)) throw new CancelledError();
    // Time spent giving way is neither compute nor worker time of this request's own (see `spent` in serve).
    if (config.yieldTo && yieldCell) {
      this.yieldedMs += await giveWay(config.yieldTo, yieldCell);
      if (cancelled.has(this.id)) throw new CancelledError();
    }
    if (this.outstanding++ === 0) this.since = performance.now();
    let o;
    try {
      o = await batcher.submit(weightKey, feeds);
    } finally {
      if (--this.outstanding === 0) this.waitedMs += performance.now() - this.since;
    }
    this.stats.computeMs += o.ms;
    this.stats.batches.push({ weightKey, size: o.batchSize, ms: Math.round(o.ms * 1000) / 1000 });
    return o.outputs;
  }
}

/** Compute this worker has spent on requests since it started, finished or stopped ones alike (busy reports). */
let computeMsTotal = 0;

/** Tells the main thread how many requests this worker is really running, and what it has spent so far. */
function busy() {
  post({ t: "busy", running: active, computeMsTotal });
}

function fail(id: number, e: unknown, stats: RunStats) {
  if (e instanceof CancelledError) return post({ t: "err", id, kind: "cancelled", message: "cancelled", stats });
  if (e instanceof InputError) return post({ t: "err", id, kind: "input", code: e.code, message: e.message, param: e.param, stats });
  const message = e instanceof Error ? e.message : String(e);
  // Session creation failures (missing/corrupt weights) carry onnxruntime's "Load model" wording.
  const kind = /load model|no such file|protobuf|failed to load/i.test(message) ? "load" : "internal";
  post({ t: "err", id, kind, message, stats });
}

/**
 * Runs one request and answers with its output or its error — both with what it spent: a request stopped by a
 * cancel between model runs still used the worker until then, and the edge bills it.
 */
async function serve(id: number, work: (ctx: RequestContext) => Promise<unknown>) {
  const ctx = new RequestContext(id);
  const t0 = performance.now();
  const spent = () => {
    const workerMs = performance.now() - t0;
    // Own CPU time (outside runs) plus the attributed share of each run.
    const stats: RunStats = { ...ctx.stats, workerMs, computeMs: Math.max(0, workerMs - ctx.waitedMs - ctx.yieldedMs) + ctx.stats.computeMs };
    computeMsTotal += stats.computeMs;
    return stats;
  };
  active++;
  running.add(id);
  highestId = Math.max(highestId, id);
  busy();
  try {
    if (cancelled.has(id)) throw new CancelledError();
    const output = await work(ctx);
    post({ t: "ok", id, output, stats: spent() });
  } catch (e) {
    fail(id, e, spent());
  } finally {
    active--;
    running.delete(id);
    cancelled.delete(id);
    busy();
  }
}

function onRun(msg: Extract<ToWorker, { t: "run" }>) {
  const entry = msg.entry;
  learn(entry.files);
  return serve(msg.id, (ctx) => runEntry(entry, Buffer.from(msg.input.buffer, msg.input.byteOffset, msg.input.byteLength), msg.options, ctx));
}

function onInfer(msg: Extract<ToWorker, { t: "infer" }>) {
  return serve(msg.id, (ctx) => ctx.run(msg.weightKey, msg.feeds));
}

async function onLoad(msg: Extract<ToWorker, { t: "load" }>) {
  const t0 = performance.now();
  try {
    learn(msg.files);
    // The dictionary is a text file, not a session: read (and its hash checked) now, so a bad one fails the load.
    await Promise.all(
      msg.files.map((f) => (f.spec ? sessions.load(f.key) : f.role === "dict" ? loadCharset({ key: f.key, ...(f.sha256 ? { sha256: f.sha256 } : {}) }) : undefined)),
    );
    post({ t: "loaded", id: msg.id, weights: msg.files.map((f) => f.key), ms: performance.now() - t0 });
  } catch (e) {
    post({ t: "err", id: msg.id, kind: "load", message: e instanceof Error ? e.message : String(e) });
  }
}

port.on("message", (msg: ToWorker) => {
  switch (msg.t) {
    case "run":
      void onRun(msg);
      break;
    case "infer":
      void onInfer(msg);
      break;
    case "load":
      void onLoad(msg);
      break;
    case "unload":
      for (const w of msg.weights) void sessions.unload(w);
      break;
    case "cancel":
      // Kept for a request running or still to come (a cancel may overtake its run while the worker starts), not
      // for one already answered: the set never grows.
      if (running.has(msg.id) || msg.id > highestId) cancelled.add(msg.id);
      break;
    case "crash":
      // Test hook (PARETO_TEST_HOOKS=1 only): an uncaught error kills this thread like a native fault would.
      if (config.testHooks) setImmediate(() => {
        throw new Error("crash requested by test hook");
      });
      break;
  }
});

post({ t: "ready", workerId: config.workerId });
