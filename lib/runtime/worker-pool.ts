/**
 * A fixed set of inference worker threads. Tracks what each worker has in flight; a worker that dies fails only
 * its own in-flight calls (with `worker_crashed`) and is replaced — at once when it had been running a while, after
 * an exponential back-off when workers keep dying at start (a missing bundle, ONNX Runtime that does not load), and
 * then the crash-loop breaker reports the pool down so callers are told why instead of waiting
 * (lib/runtime/crash-loop.ts has the policy).
 */
import path from "node:path";
import { Worker } from "node:worker_threads";
import { CRASH_LOOP_DEFAULTS, CrashLoop } from "./crash-loop";
import { RuntimeError } from "./errors";
import type { FromWorker, ToWorker } from "./worker/protocol";
import type { YieldGate } from "./worker/yield";

export interface PoolOptions {
  size: number;
  intraOpThreads: number;
  batching: boolean;
  root: string;
  testHooks: boolean;
  /** Longest wait before restarting a worker that keeps dying at start (default 30 s). */
  restartMaxMs?: number;
  /** Niceness each worker thread gives itself at start (0: none). */
  nice?: number;
  /** Background lane only: its workers pause between model runs while interactive work fills the CPU (worker/yield.ts). */
  yieldTo?: YieldGate;
  /** A worker died; its replacement starts in `restartInMs`. */
  onCrash?: (workerId: number, reason: string, restartInMs: number) => void;
  /** The worker's own report of what it runs and has spent (see `busy` in worker/protocol.ts). */
  onBusy?: (workerId: number, running: number, computeMsTotal: number) => void;
  /** A worker reported ready; `recovered` when workers had been dying at start until now (the breaker was open). */
  onStart?: (workerId: number, recovered: boolean) => void;
}

/** Why the pool cannot serve: workers keep dying at start. */
export interface PoolDown {
  reason: string;
  since: number;
  deaths: number;
  /** Until the next worker start is tried. */
  retryInMs: number;
}

/** Errors of calls that failed because their worker never started (not because of anything they asked). */
const startFailures = new WeakSet<object>();

export function isStartFailure(e: unknown): boolean {
  return typeof e === "object" && e !== null && startFailures.has(e);
}

interface Pending {
  resolve: (m: FromWorker) => void;
  reject: (e: unknown) => void;
}

/** One place in the pool; its worker is replaced when it dies, the slot stays. */
interface Slot {
  /** The current (or last) worker's id. */
  id: number;
  /** Undefined while the slot waits to restart its worker. */
  worker?: Worker;
  readyAt?: number;
  inflight: Map<number, Pending>;
  /** Resolves when this slot's current or next worker reports ready; rejects if that worker dies first. */
  ready: Promise<void>;
  settleReady: { resolve: () => void; reject: (e: unknown) => void };
  restart?: NodeJS.Timeout;
  restartAt?: number;
}

function readyPromise(): Pick<Slot, "ready" | "settleReady"> {
  let settleReady: Slot["settleReady"] = { resolve: () => undefined, reject: () => undefined };
  const ready = new Promise<void>((resolve, reject) => (settleReady = { resolve, reject }));
  ready.catch(() => undefined); // a start that fails is reported to the calls waiting on it, not as unhandled
  return { ready, settleReady };
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly loop: CrashLoop;
  private readonly root: string;
  private readonly file: string;
  private nextWorkerId = 1;
  private closed = false;
  crashes = 0;

  constructor(private readonly opts: PoolOptions) {
    this.loop = new CrashLoop({ ...CRASH_LOOP_DEFAULTS, maxMs: opts.restartMaxMs ?? CRASH_LOOP_DEFAULTS.maxMs });
    this.root = path.resolve(/*turbopackIgnore: true*/ opts.root);
    this.file = path.join(/*turbopackIgnore: true*/ this.root, "build", "runtime-worker.mjs");
    for (let i = 0; i < opts.size; i++) {
      const slot: Slot = { id: 0, inflight: new Map(), ...readyPromise() };
      this.slots.push(slot);
      this.start(slot);
    }
  }

  /** A fresh "ready" promise for the slot's next worker. */
  private arm(slot: Slot): void {
    Object.assign(slot, readyPromise());
  }

  private start(slot: Slot): void {
    slot.restart = undefined;
    slot.restartAt = undefined;
    if (this.closed) return;
    const id = this.nextWorkerId++;
    slot.id = id;
    slot.readyAt = undefined;
    let worker: Worker;
    try {
      worker = new Worker(this.file, {
        workerData: { workerId: id, intraOpThreads: this.opts.intraOpThreads, batching: this.opts.batching, root: this.opts.root, testHooks: this.opts.testHooks, nice: this.opts.nice ?? 0, yieldTo: this.opts.yieldTo },
      });
    } catch (e) {
      // Handled like a death at start, on the next turn: the owner may still be inside its constructor.
      setImmediate(() => this.died(slot, e instanceof Error ? e.message : String(e)));
      return;
    }
    slot.worker = worker;
    worker.on("message", (m: FromWorker) => {
      if (m.t === "ready") {
        if (slot.worker !== worker) return;
        slot.readyAt = Date.now();
        const recovered = this.loop.open !== undefined;
        this.loop.started();
        slot.settleReady.resolve();
        this.opts.onStart?.(id, recovered);
        return;
      }
      if (m.t === "busy") return this.opts.onBusy?.(slot.id, m.running, m.computeMsTotal);
      const p = slot.inflight.get(m.id);
      if (!p) return; // its worker was replaced meanwhile
      slot.inflight.delete(m.id);
      p.resolve(m);
    });
    // A dying thread emits "error" (uncaught exception) and then "exit": handled once, for the current worker only.
    const onDeath = (reason: string) => {
      if (slot.worker !== worker) return;
      this.died(slot, reason);
    };
    worker.on("error", (e) => onDeath(e.message));
    worker.on("exit", (code) => onDeath(`exit code ${code}`));
  }

  private died(slot: Slot, rawReason: string): void {
    slot.worker = undefined;
    const reason = this.clean(rawReason);
    const started = slot.readyAt !== undefined;
    const error = started
      ? new RuntimeError("worker_crashed", `the inference worker stopped while running this request (${reason})`, 1)
      : new RuntimeError("worker_crashed", `the inference worker did not start (${reason})`, 1);
    if (!started) startFailures.add(error);
    for (const p of slot.inflight.values()) p.reject(error);
    slot.inflight.clear();
    // A dead worker runs nothing: its running count drops to zero (-1: no compute total to report).
    this.opts.onBusy?.(slot.id, 0, -1);
    if (!started) slot.settleReady.reject(error);
    this.arm(slot);
    if (this.closed) return;
    this.crashes++;
    const delay = this.loop.died(slot.readyAt, reason);
    this.opts.onCrash?.(slot.id, reason, delay);
    if (delay === 0) return this.start(slot);
    slot.restartAt = Date.now() + delay;
    slot.restart = setTimeout(() => this.start(slot), delay);
    slot.restart.unref();
  }

  /** Reasons go into responses and logs: the install folder is left out of them. */
  private clean(reason: string): string {
    const first = reason.split("\n")[0];
    return first.split(this.root + path.sep).join("");
  }

  get size(): number {
    return this.slots.length;
  }

  /** Set while workers keep dying at start (the crash-loop breaker is open): nothing can run. */
  get down(): PoolDown | undefined {
    const open = this.loop.open;
    if (!open) return undefined;
    const now = Date.now();
    const next = Math.min(...this.slots.map((s) => (s.restartAt === undefined ? now : s.restartAt)));
    return { ...open, retryInMs: Math.max(0, next - now) };
  }

  /** Calls in flight per worker (for dispatch and status); a slot waiting to restart takes nothing. */
  loads(): number[] {
    return this.slots.map((s) => (s.worker ? s.inflight.size : Number.POSITIVE_INFINITY));
  }

  /**
   * Sends a request to the given worker index and resolves with its reply. A slot whose worker is starting (or
   * waiting to restart) holds the call until that worker is ready, and fails it if the worker dies first.
   */
  call(index: number, id: number, msg: ToWorker, transfer: ArrayBuffer[] = []): Promise<FromWorker> {
    if (this.closed) return Promise.reject(new RuntimeError("shutting_down", "the runtime is shutting down", 1));
    const slot = this.slots[index];
    // Counted as in flight at once (dispatch reads loads() synchronously), posted when the worker is up.
    const reply = new Promise<FromWorker>((resolve, reject) => slot.inflight.set(id, { resolve, reject }));
    slot.ready.then(
      () => (slot.inflight.has(id) ? slot.worker?.postMessage(msg, transfer) : undefined),
      (e: unknown) => {
        slot.inflight.get(id)?.reject(e);
        slot.inflight.delete(id);
      },
    );
    return reply;
  }

  /**
   * Asks the worker running a call to stop it at its next step (timeout or client gone). The call stays in flight —
   * counted in `loads()` — until the worker answers, so a worker is never handed more than it can run.
   */
  cancel(id: number): void {
    for (const s of this.slots) if (s.inflight.has(id)) s.worker?.postMessage({ t: "cancel", id } satisfies ToWorker);
  }

  /** A worker that is restarting has nothing loaded: only live workers are told. */
  broadcastUnload(weights: string[]): void {
    for (const s of this.slots) s.worker?.postMessage({ t: "unload", weights } satisfies ToWorker);
  }

  /** Test hook: makes one worker die mid-flight. */
  crashOne(index = 0): void {
    this.slots[index]?.worker?.postMessage({ t: "crash" } satisfies ToWorker);
  }

  async close(): Promise<void> {
    this.closed = true;
    const closing = new RuntimeError("shutting_down", "the runtime is shutting down", 1);
    for (const s of this.slots) {
      clearTimeout(s.restart);
      if (!s.worker) {
        // Nothing will start in this slot any more: calls waiting for it end now.
        s.settleReady.reject(closing);
        for (const p of s.inflight.values()) p.reject(closing);
        s.inflight.clear();
      }
    }
    await Promise.all(this.slots.map((s) => s.worker?.terminate()));
  }
}
