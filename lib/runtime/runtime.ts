/**
 * The inference runtime: a bounded queue per model in front of a worker pool. Requests wait in the queue until a
 * worker has a free slot (several per worker, so concurrent requests can share batched runs); a full queue
 * fails fast with `overloaded`; timeouts and client aborts drop a request wherever it is.
 *
 * Two priorities. Interactive requests (the API) are the default. Background ones (jobs: PDF pages, 60 s chunks of
 * long recordings) run in the background lane: one worker thread of their own, started on first use and stopped
 * when idle, at niceness 19 so the kernel gives it only the CPU the interactive workers (niceness 10) leave, and
 * giving way between model runs while interactive requests run (worker/yield.ts). One background request at
 * a time, unbatched: a job's results do not depend on what else ran (Silero v4 batched rounds differently). With the
 * lane off (`backgroundLane: false`) background requests share the interactive workers but are dispatched only after
 * every queued interactive one, and never into the last free slot.
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
import { YieldSignal } from "./worker/yield";
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
  /** Background requests run in a lane of their own (default true); false: they share the interactive workers. */
  backgroundLane?: boolean;
  /** Niceness of the background lane's thread (default 19). */
  backgroundNice?: number;
  /**
   * The lane pauses before each model run while at least this many interactive requests run (default 1: while any
   * does; 0: never). 1 measured best on a 2-vCPU host (bench/RESULTS.md, jobs suite): a job on the "free" core still
   * slowed interactive requests on the other one (shared caches and memory bandwidth, or sibling hyperthreads).
   */
  backgroundYieldAt?: number;
  /** Longest pause before one model run, so a job still moves under a flood of interactive requests (default 200). */
  backgroundYieldMaxMs?: number;
  /** The lane's worker stops (its sessions freed) after this long without background work (default 60 s). */
  backgroundIdleMs?: number;
  /** Deadline of a background request whose caller names none (default 10 min: a big page on a busy host). */
  backgroundTimeoutMs?: number;
}

export type RunPriority = "interactive" | "background";

export interface RunOptions {
  signal?: AbortSignal;
  /** Deadline, queue wait included (default: the config's `timeoutMs`, or `backgroundTimeoutMs` for background). */
  timeoutMs?: number;
  /** Interactive (default): API requests. Background: jobs — run only with CPU interactive work leaves. */
  priority?: RunPriority;
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
  background: boolean;
  /** Where it runs: the interactive pool or the background lane (set at dispatch). */
  pool?: WorkerPool;
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
  /** Background requests: their own queue (the lane's) and counts, kept out of the interactive queue limit. */
  private readonly bgQueue: Job[] = [];
  private readonly bgQueued = new Map<string, number>();
  private readonly bgInFlight = new Map<string, number>();
  private lane?: WorkerPool;
  private laneIdle?: NodeJS.Timeout;
  /** Interactive requests the interactive workers run now, published to the lane (worker/yield.ts). */
  private interactiveRunning = 0;
  private readonly yieldSignal: YieldSignal;
  private nextId = 1;
  private closing = false;

  /** Fetches uploaded files to this instance before a load (set by the registry service at boot). */
  private preparer: (entry: CatalogEntry) => Promise<void> = async () => undefined;

  private readonly loader: Loader = {
    prepare: (entry) => this.preparer(entry),
    load: (files) => this.loadEverywhere(files),
    unload: (weights) => this.broadcastUnload(weights),
    busy: (id) => (this.inFlight.get(id) ?? 0) + (this.queued.get(id) ?? 0) + (this.bgInFlight.get(id) ?? 0) + (this.bgQueued.get(id) ?? 0) > 0,
    classify: (e): LoadFailure => (isStartFailure(e) ? "start" : isRuntimeError(e) && e.code === "worker_crashed" ? "crash" : "final"),
  };

  constructor(readonly config: RuntimeConfig) {
    this.yieldSignal = new YieldSignal(config.backgroundYieldAt ?? 1, config.backgroundYieldMaxMs ?? 200);
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
    this.registry.sync(entries, (weights) => this.broadcastUnload(weights));
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
    this.metrics.request(entry.id, queueMs, reply.stats, totalMs, opts.priority);
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
    this.metrics.request(entry.id, queueMs, reply.stats, totalMs, opts.priority);
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
      this.bump(job.background ? this.bgQueued : this.queued, job.modelId, -1);
      job.reject(error);
    }
  }

  private broadcastUnload(weights: string[]): void {
    this.pool.broadcastUnload(weights);
    this.lane?.broadcastUnload(weights);
  }

  unload(modelId: string): boolean {
    return this.registry.unload(modelId, (weights) => this.broadcastUnload(weights));
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
    const background = opts.priority === "background";
    const [queued, inFlight] = background ? [this.bgQueued, this.bgInFlight] : [this.queued, this.inFlight];
    const depth = (queued.get(modelId) ?? 0) + (inFlight.get(modelId) ?? 0);
    if (depth >= this.config.queueMax) {
      this.metrics.rejected(modelId, opts.priority);
      throw new RuntimeError("overloaded", `model ${modelId} has ${depth} ${background ? "background " : ""}requests waiting; try again shortly`, this.retryAfter(modelId));
    }
    return new Promise((resolve, reject) => {
      const job: Job = { id: this.nextId++, modelId, background, build, resolve, reject, enqueuedAt: performance.now() };
      const timeoutMs = opts.timeoutMs ?? (background ? (this.config.backgroundTimeoutMs ?? 600_000) : this.config.timeoutMs);
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
      this.bump(queued, modelId, 1);
      if (background && this.config.backgroundLane !== false) {
        this.bgQueue.push(job);
        this.pumpLane();
      } else {
        this.queue.push(job);
        this.pump();
      }
    });
  }

  /**
   * The caller gave up on a job (client gone, deadline). Not started yet: dropped at once. Started: its worker is
   * asked to stop at its next step, and the job keeps its place (the runtime's in-flight count, the worker's slot)
   * until the worker has really stopped; then it is rejected with what it had spent, so the edge bills the work that
   * was done and the caller's concurrency slot is held for as long as the work ran.
   */
  private drop(job: Job, error: RuntimeError): void {
    const queue = job.background && this.config.backgroundLane !== false ? this.bgQueue : this.queue;
    const i = queue.indexOf(job);
    if (i >= 0) {
      queue.splice(i, 1);
      this.bump(job.background ? this.bgQueued : this.queued, job.modelId, -1);
      job.reject(error);
      this.scheduleLaneStop();
    } else if (job.worker !== undefined) {
      if (job.abandoned) return;
      job.abandoned = error;
      job.pool?.cancel(job.id);
      // A worker stuck in one long model run: answer the caller after a grace, billing the time it has held the worker.
      setTimeout(() => job.reject(spent(error, performance.now() - (job.dispatchedAt ?? job.enqueuedAt))), STOP_GRACE_MS).unref();
    } else {
      job.reject(error); // never queued (the signal had fired already), or finished: a no-op then
    }
  }

  /**
   * Hands queued jobs to the least busy worker that has a free slot: interactive ones first (oldest first), then
   * background ones (only with the lane off) when that leaves a slot free for the next interactive request.
   */
  private pump(): void {
    while (this.queue.length) {
      const loads = this.pool.loads();
      let best = -1;
      for (let i = 0; i < loads.length; i++) if (loads[i] < this.config.slotsPerWorker && (best < 0 || loads[i] < loads[best])) best = i;
      if (best < 0) return;
      let at = this.queue.findIndex((j) => !j.background);
      if (at < 0) {
        const free = loads.reduce((s, l) => s + Math.max(0, this.config.slotsPerWorker - l), 0);
        // The last free slot is kept for interactive work (a one-slot pool has no other: background may use it).
        if (free < 2 && this.pool.size * this.config.slotsPerWorker > 1) return;
        at = 0;
      }
      const [job] = this.queue.splice(at, 1);
      this.dispatch(job, this.pool, best);
    }
  }

  /** The background lane: its one worker, started on first use, runs one background request at a time. */
  private pumpLane(): void {
    while (this.bgQueue.length) {
      const lane = this.startLane();
      const down = lane.down;
      if (down) {
        // Its worker keeps dying at start: what waits is told why now (the job retries later), not at its deadline.
        const error = this.downError(down);
        for (const job of this.bgQueue.splice(0)) {
          this.bump(this.bgQueued, job.modelId, -1);
          job.reject(error);
        }
        return;
      }
      if (lane.loads()[0] >= 1) return;
      this.dispatch(this.bgQueue.shift()!, lane, 0);
    }
    this.scheduleLaneStop();
  }

  private dispatch(job: Job, pool: WorkerPool, worker: number): void {
    this.bump(job.background ? this.bgQueued : this.queued, job.modelId, -1);
    this.bump(job.background ? this.bgInFlight : this.inFlight, job.modelId, 1);
    if (!job.background) this.yieldSignal.set(++this.interactiveRunning);
    job.worker = worker;
    job.pool = pool;
    job.dispatchedAt = performance.now();
    const queueMs = job.dispatchedAt - job.enqueuedAt;
    const { msg, transfer } = job.build(job.id);
    pool.call(worker, job.id, msg, transfer).then(
      (reply) => this.finish(job, () => (job.abandoned ? job.reject(spent(job.abandoned, statsOf(reply)?.computeMs)) : job.resolve({ reply, queueMs }))),
      (e: unknown) => this.finish(job, () => job.reject(job.abandoned ?? e)),
    );
  }

  /** The worker answered (or died): the job leaves the worker's count, then its caller gets the outcome. */
  private finish(job: Job, settle: () => void): void {
    if (job.worker === undefined) return;
    job.worker = undefined;
    this.bump(job.background ? this.bgInFlight : this.inFlight, job.modelId, -1);
    if (!job.background) this.yieldSignal.set(Math.max(0, --this.interactiveRunning));
    settle();
    if (job.pool === this.pool) this.pump();
    else this.pumpLane();
  }

  private startLane(): WorkerPool {
    clearTimeout(this.laneIdle);
    this.laneIdle = undefined;
    if (this.lane) return this.lane;
    const lane = new WorkerPool({
      size: 1,
      intraOpThreads: 1,
      // Unbatched: a job's probabilities must not depend on another job's calls (see the header).
      batching: false,
      root: this.config.root,
      testHooks: this.config.testHooks,
      restartMaxMs: this.config.restartMaxMs,
      nice: this.config.backgroundNice ?? 19,
      ...(this.yieldSignal.gate.yieldAt > 0 ? { yieldTo: this.yieldSignal.gate } : {}),
      onCrash: (id, reason, restartInMs) => {
        this.metrics.workerCrashes++;
        log("error", "background inference worker died; replaced", { worker: id, reason, restartInMs });
        this.pumpLane();
      },
      onStart: () => this.pumpLane(),
      // Negative ids: the lane's worker ids count from 1 like the interactive pool's.
      onBusy: (id, running, computeMsTotal) => this.metrics.workerBusy(-id, running, computeMsTotal),
    });
    this.lane = lane;
    log("info", "background inference lane started", { nice: this.config.backgroundNice ?? 19 });
    return lane;
  }

  /** Stops the lane's worker once it has had nothing to do for `backgroundIdleMs` (its sessions go with it). */
  private scheduleLaneStop(): void {
    const lane = this.lane;
    if (!lane || this.laneIdle || this.bgQueue.length || lane.loads()[0] > 0) return;
    this.laneIdle = setTimeout(() => {
      this.laneIdle = undefined;
      if (this.lane !== lane || this.bgQueue.length || lane.loads()[0] > 0) return;
      this.lane = undefined;
      void lane.close();
      log("info", "background inference lane stopped (idle)");
    }, this.config.backgroundIdleMs ?? 60_000);
    this.laneIdle.unref();
  }

  /** Whether the background lane's worker is running now (tests, status). */
  get backgroundLaneRunning(): boolean {
    return this.lane !== undefined;
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
      queued: (this.queued.get(r.entry.id) ?? 0) + (this.bgQueued.get(r.entry.id) ?? 0),
      inFlight: (this.inFlight.get(r.entry.id) ?? 0) + (this.bgInFlight.get(r.entry.id) ?? 0),
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
    clearTimeout(this.laneIdle);
    for (const job of [...this.queue.splice(0), ...this.bgQueue.splice(0)]) job.reject(new RuntimeError("shutting_down", "the server is shutting down", 1));
    await Promise.all([this.pool.close(), this.lane?.close()]);
  }
}
