/**
 * The inference runtime: a bounded queue per model in front of a worker pool. Requests wait in the queue until a
 * worker has a free slot (several per worker, so concurrent requests can share batched runs); a full queue
 * fails fast with `overloaded`; timeouts and client aborts drop a request wherever it is.
 */
import { log } from "@/lib/log";
import type { CatalogEntry, EntryFile } from "@/lib/models/catalog";
import { isRuntimeError } from "@/lib/models/errors";
import type { Feeds, Outputs } from "@/lib/models/tensor";
import { InputError, RuntimeError } from "./errors";
import { RuntimeMetrics } from "./metrics";
import { ownsWholeBuffer, transferable } from "./transfer";
import { Registry, type LoadFailure, type Loader, type ModelStatus } from "./registry";
import { isStartFailure, WorkerPool } from "./worker-pool";
import type { FromWorker, RunStats, ToWorker } from "./worker/protocol";

export interface RuntimeConfig {
  root: string;
  workers: number;
  intraOpThreads: number;
  slotsPerWorker: number;
  queueMax: number;
  timeoutMs: number;
  memoryBudgetBytes: number;
  batching: boolean;
  testHooks: boolean;
  /** Longest wait before restarting a worker that keeps dying at start, and between retries of a model's load. */
  restartMaxMs?: number;
  /** Niceness of the worker threads (Linux; 0 or unset: the process's own priority). See worker/priority.ts. */
  workerNice?: number;
}

export interface RunOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /**
   * The caller hands its input over (the encoded bytes of `run`, the feeds' data of `infer`): nothing reads them, or
   * anything else in their ArrayBuffers, once the call is made. An array that is its ArrayBuffer's only view then
   * moves to the worker without a copy and reads as empty here once dispatched; any other is copied once, as
   * without this flag (a caller that reuses its input — the benchmarks — leaves it off).
   */
  handOver?: boolean;
}

export interface RunResult<T = unknown> {
  output: T;
  modelId: string;
  stats: RunStats;
  queueMs: number;
  totalMs: number;
}

interface Job {
  id: number;
  modelId: string;
  build: (id: number) => { msg: ToWorker; transfer: ArrayBuffer[] };
  resolve: (r: { reply: FromWorker; queueMs: number }) => void;
  reject: (e: unknown) => void;
  enqueuedAt: number;
  worker?: number;
  dispatchedAt?: number;
  /** Why the caller no longer wants it (client gone, deadline) while a worker runs it: answered once it stops. */
  abandoned?: RuntimeError;
}

/**
 * How long an abandoned request may take to stop in its worker (it stops between model runs) before its caller is
 * answered anyway; the worker stays counted as busy with it until it really stops.
 */
const STOP_GRACE_MS = 10_000;

/** The stats a worker reply carries: always on "ok", on "err" when the request had started. */
function statsOf(reply: FromWorker): RunStats | undefined {
  return reply.t === "ok" || reply.t === "err" ? reply.stats : undefined;
}

/** `error` with the compute the abandoned request had spent when it stopped (unknown: none is claimed). */
function spent(error: RuntimeError, computeMs: number | undefined): RuntimeError {
  return computeMs === undefined ? error : new RuntimeError(error.code, error.message, error.retryAfterS, { computeMs });
}

export class Runtime {
  readonly metrics = new RuntimeMetrics();
  private readonly pool: WorkerPool;
  private readonly registry: Registry;
  private readonly queue: Job[] = [];
  private readonly queued = new Map<string, number>();
  private readonly inFlight = new Map<string, number>();
  private nextId = 1;
  private closing = false;

  /** Fetches uploaded files to this instance before a load (set by the registry service at boot). */
  private preparer: (entry: CatalogEntry) => Promise<void> = async () => undefined;

  private readonly loader: Loader = {
    prepare: (entry) => this.preparer(entry),
    load: (files) => this.loadEverywhere(files),
    unload: (weights) => this.pool.broadcastUnload(weights),
    busy: (id) => (this.inFlight.get(id) ?? 0) + (this.queued.get(id) ?? 0) > 0,
    classify: (e): LoadFailure => (isStartFailure(e) ? "start" : isRuntimeError(e) && e.code === "worker_crashed" ? "crash" : "final"),
  };

  constructor(readonly config: RuntimeConfig) {
    this.registry = new Registry(config.root, config.memoryBudgetBytes, config.restartMaxMs);
    let breakerLogged = false;
    this.pool = new WorkerPool({
      size: config.workers,
      intraOpThreads: config.intraOpThreads,
      batching: config.batching,
      root: config.root,
      testHooks: config.testHooks,
      restartMaxMs: config.restartMaxMs,
      nice: config.workerNice ?? 0,
      onCrash: (id, reason, restartInMs) => {
        this.metrics.workerCrashes++;
        const down = this.pool.down;
        if (down && !breakerLogged) {
          breakerLogged = true;
          log("error", "inference workers keep dying at start; every model is FAILED until one starts", { deaths: down.deaths, reason, restartInMs });
        } else log(down ? "warn" : "error", "inference worker died; replaced", { worker: id, reason, restartInMs });
        // Nothing can run while the pool is down: what waits in the queue is told so now, not at its deadline.
        if (down) this.failQueued(this.downError(down));
        this.pump();
      },
      onStart: (id, recovered) => {
        if (recovered) {
          breakerLogged = false;
          log("info", "inference workers start again; retrying the models whose load failed", { worker: id });
          this.registry.retryNow(this.loader);
        }
        this.pump();
      },
      onBusy: (id, running, computeMsTotal) => this.metrics.workerBusy(id, running, computeMsTotal),
    });
  }

  /** How uploaded files reach this instance before their first load (lib/registry installs it at boot). */
  setPreparer(prepare: (entry: CatalogEntry) => Promise<void>): void {
    this.preparer = prepare;
  }

  /**
   * The servables beyond the built-ins (uploaded model versions), as the database registry lists them: added,
   * redefined or removed (unloaded) to match. Requests for an id not listed are `unknown_model`.
   */
  syncEntries(entries: readonly CatalogEntry[]): void {
    this.registry.sync(entries, (weights) => this.pool.broadcastUnload(weights));
  }

  /** The servable an id names on this instance, if any. */
  entry(modelId: string): CatalogEntry | undefined {
    return this.registry.entry(modelId);
  }

  /** Runs a catalog model's whole pipeline (decode → infer → post-process) on an encoded input. */
  async run<T = unknown>(modelId: string, input: Uint8Array, options: Record<string, unknown> = {}, opts: RunOptions = {}): Promise<RunResult<T>> {
    const entry = await this.ready(modelId);
    // Moved to the worker, never cloned: the caller's own buffer when handed over whole, else a copy made here.
    const owned = opts.handOver && ownsWholeBuffer(input) ? input : new Uint8Array(input);
    const t0 = performance.now();
    const { reply, queueMs } = await this.enqueue(entry.id, (id) => ({ msg: { t: "run", id, entry, input: owned, options }, transfer: [owned.buffer as ArrayBuffer] }), opts);
    const totalMs = performance.now() - t0;
    if (reply.t !== "ok") throw this.toError(reply, entry);
    this.metrics.request(entry.id, queueMs, reply.stats, totalMs);
    return { output: reply.output as T, modelId: entry.id, stats: reply.stats, queueMs, totalMs };
  }

  /** Runs one weight file of a model on raw tensors (the KServe v2 path). */
  async infer(modelId: string, weightKey: string, feeds: Feeds, opts: RunOptions = {}): Promise<RunResult<Outputs>> {
    const entry = await this.ready(modelId);
    if (!entry.weights.includes(weightKey)) throw new InputError("invalid_option", `model ${modelId} has no weight ${weightKey}`, "weight");
    const t0 = performance.now();
    // Handed-over tensors that own their buffers move to the worker; the rest are cloned by postMessage.
    const transfer = opts.handOver ? transferable(Object.values(feeds).map((t) => t.data)) : [];
    const { reply, queueMs } = await this.enqueue(entry.id, (id) => ({ msg: { t: "infer", id, weightKey, feeds }, transfer }), opts);
    if (reply.t !== "ok") throw this.toError(reply, entry);
    const totalMs = performance.now() - t0;
    this.metrics.request(entry.id, queueMs, reply.stats, totalMs);
    return { output: reply.output as Outputs, modelId: entry.id, stats: reply.stats, queueMs, totalMs };
  }

  /** Resolves the entry and makes sure its sessions are loaded (or says why not). */
  private async ready(modelId: string): Promise<CatalogEntry> {
    if (this.closing) throw new RuntimeError("shutting_down", "the server is shutting down", 1);
    const entry = this.registry.entry(modelId);
    if (!entry) throw new RuntimeError("unknown_model", `unknown model ${modelId}`);
    const down = this.pool.down;
    if (down) throw this.downError(down, modelId);
    try {
      await this.load(modelId);
    } catch (e) {
      throw new RuntimeError("model_unavailable", `model ${modelId} failed to load: ${e instanceof Error ? e.message : String(e)}`, this.registry.retryInS(modelId) ?? 30);
    }
    this.registry.touch(modelId);
    return entry;
  }

  load(modelId: string): Promise<void> {
    return this.registry.ensureLoaded(modelId, this.loader);
  }

  /** What a model shows, and a request is told, while workers keep dying at start. */
  private downReason(down: NonNullable<WorkerPool["down"]>): string {
    return `inference workers keep dying at start (${down.deaths} times in a row; retrying with back-off): ${down.reason}`;
  }

  private downError(down: NonNullable<WorkerPool["down"]>, modelId?: string): RuntimeError {
    const retryAfterS = Math.max(1, Math.ceil(down.retryInMs / 1000));
    return new RuntimeError("model_unavailable", `${modelId ? `model ${modelId} is unavailable: ` : ""}${this.downReason(down)}`, retryAfterS);
  }

  private failQueued(error: RuntimeError): void {
    for (const job of this.queue.splice(0)) {
      this.bump(this.queued, job.modelId, -1);
      job.reject(error);
    }
  }

  unload(modelId: string): boolean {
    return this.registry.unload(modelId, (weights) => this.pool.broadcastUnload(weights));
  }

  /** Retries a FAILED model: re-checks its files, then loads it. */
  async reload(modelId: string): Promise<void> {
    // While no worker can start, a retry could only wait for the next restart to fail: say why at once.
    const down = this.pool.down;
    if (down) throw this.downError(down, modelId);
    this.registry.reset(modelId);
    await this.load(modelId);
  }

  private async loadEverywhere(files: EntryFile[]): Promise<number> {
    const before = process.memoryUsage().rss;
    await Promise.all(
      Array.from({ length: this.pool.size }, async (_, i) => {
        const id = this.nextId++;
        const reply = await this.pool.call(i, id, { t: "load", id, files });
        if (reply.t === "err") throw new Error(reply.message);
      }),
    );
    return process.memoryUsage().rss - before;
  }

  private enqueue(modelId: string, build: Job["build"], opts: RunOptions): Promise<{ reply: FromWorker; queueMs: number }> {
    const depth = (this.queued.get(modelId) ?? 0) + (this.inFlight.get(modelId) ?? 0);
    if (depth >= this.config.queueMax) {
      this.metrics.rejected(modelId);
      throw new RuntimeError("overloaded", `model ${modelId} has ${depth} requests waiting; try again shortly`, this.retryAfter(modelId));
    }
    return new Promise((resolve, reject) => {
      const job: Job = { id: this.nextId++, modelId, build, resolve, reject, enqueuedAt: performance.now() };
      const timeoutMs = opts.timeoutMs ?? this.config.timeoutMs;
      const timer = setTimeout(() => this.drop(job, new RuntimeError("timeout", `the request did not finish within ${timeoutMs} ms`, 1)), timeoutMs);
      const onAbort = () => this.drop(job, new RuntimeError("cancelled", "the client went away"));
      opts.signal?.addEventListener("abort", onAbort, { once: true });
      const cleanup = () => {
        clearTimeout(timer);
        opts.signal?.removeEventListener("abort", onAbort);
      };
      job.resolve = (r) => (cleanup(), resolve(r));
      job.reject = (e) => (cleanup(), reject(e));
      if (opts.signal?.aborted) return onAbort();
      this.queue.push(job);
      this.bump(this.queued, modelId, 1);
      this.pump();
    });
  }

  /**
   * The caller gave up on a job (client gone, deadline). Not started yet: dropped at once. Started: its worker is
   * asked to stop at its next step, and the job keeps its place (the runtime's in-flight count, the worker's slot)
   * until the worker has really stopped; then it is rejected with what it had spent, so the edge bills the work that
   * was done and the caller's concurrency slot is held for as long as the work ran.
   */
  private drop(job: Job, error: RuntimeError): void {
    const i = this.queue.indexOf(job);
    if (i >= 0) {
      this.queue.splice(i, 1);
      this.bump(this.queued, job.modelId, -1);
      job.reject(error);
    } else if (job.worker !== undefined) {
      if (job.abandoned) return;
      job.abandoned = error;
      this.pool.cancel(job.id);
      // A worker stuck in one long model run: answer the caller after a grace, billing the time it has held the worker.
      setTimeout(() => job.reject(spent(error, performance.now() - (job.dispatchedAt ?? job.enqueuedAt))), STOP_GRACE_MS).unref();
    } else {
      job.reject(error); // never queued (the signal had fired already), or finished: a no-op then
    }
  }

  /** Hands queued jobs (oldest first) to the least busy worker that has a free slot. */
  private pump(): void {
    while (this.queue.length) {
      const loads = this.pool.loads();
      let best = -1;
      for (let i = 0; i < loads.length; i++) if (loads[i] < this.config.slotsPerWorker && (best < 0 || loads[i] < loads[best])) best = i;
      if (best < 0) return;
      const job = this.queue.shift()!;
      this.bump(this.queued, job.modelId, -1);
      this.bump(this.inFlight, job.modelId, 1);
      job.worker = best;
      job.dispatchedAt = performance.now();
      const queueMs = job.dispatchedAt - job.enqueuedAt;
      const { msg, transfer } = job.build(job.id);
      this.pool.call(best, job.id, msg, transfer).then(
        (reply) => this.finish(job, () => (job.abandoned ? job.reject(spent(job.abandoned, statsOf(reply)?.computeMs)) : job.resolve({ reply, queueMs }))),
        (e: unknown) => this.finish(job, () => job.reject(job.abandoned ?? e)),
      );
    }
  }

  /** The worker answered (or died): the job leaves the worker's count, then its caller gets the outcome. */
  private finish(job: Job, settle: () => void): void {
    if (job.worker === undefined) return;
    job.worker = undefined;
    this.bump(this.inFlight, job.modelId, -1);
    settle();
    this.pump();
  }

  private bump(map: Map<string, number>, key: string, by: number): void {
    map.set(key, Math.max(0, (map.get(key) ?? 0) + by));
  }

  /** Seconds until the backlog ahead of a new request should have drained. */
  private retryAfter(modelId: string): number {
    const perRequest = this.metrics.meanComputeMs(modelId) || 200;
    const backlog = (this.queued.get(modelId) ?? 0) + (this.inFlight.get(modelId) ?? 0);
    return Math.max(1, Math.ceil((backlog * perRequest) / (this.pool.size * 1000)));
  }

  private toError(reply: Extract<FromWorker, { t: "err" }> | FromWorker, entry: CatalogEntry): Error {
    if (reply.t !== "err") return new Error(`unexpected worker reply ${reply.t}`);
    if (reply.kind === "input") return new InputError((reply.code ?? "corrupt_input") as ConstructorParameters<typeof InputError>[0], reply.message, reply.param);
    if (reply.kind === "cancelled") return new RuntimeError("cancelled", "the request was cancelled");
    if (reply.kind === "load") return new RuntimeError("model_unavailable", `model ${entry.id} could not be loaded: ${reply.message}`, 30);
    return new Error(`inference failed for ${entry.id}: ${reply.message}`);
  }

  /** Per-model state; while workers keep dying at start, every model is FAILED with that reason. */
  status(): ModelStatus[] {
    const down = this.pool.down;
    return this.registry.list().map((r) => ({
      id: r.entry.id,
      ...(down && (r.state !== "FAILED" || r.retryAt !== undefined) ? { state: "FAILED" as const, reason: this.downReason(down) } : { state: r.state, reason: r.reason }),
      loadMs: r.loadMs,
      memoryBytes: r.memoryBytes,
      lastUsedAt: r.lastUsedAt,
      queued: this.queued.get(r.entry.id) ?? 0,
      inFlight: this.inFlight.get(r.entry.id) ?? 0,
    }));
  }

  /** Test hook: kill one worker. */
  crashWorker(index = 0): void {
    this.pool.crashOne(index);
  }

  get workerCrashes(): number {
    return this.pool.crashes;
  }

  async close(): Promise<void> {
    this.closing = true;
    this.registry.close();
    for (const job of this.queue.splice(0)) job.reject(new RuntimeError("shutting_down", "the server is shutting down", 1));
    await this.pool.close();
  }
}
