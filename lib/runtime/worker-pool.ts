/**
 * A fixed set of inference worker threads. Tracks what each worker has in flight; a worker that dies fails only
 * its own in-flight calls (with `worker_crashed`) and is replaced at once.
 */
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { WeightKey } from "@/lib/models/weights";
import { RuntimeError } from "./errors";
import type { FromWorker, ToWorker } from "./worker/protocol";

export interface PoolOptions {
  size: number;
  intraOpThreads: number;
  batching: boolean;
  root: string;
  testHooks: boolean;
  onCrash?: (workerId: number, reason: string) => void;
  /** The worker's own report of what it runs and has spent (see `busy` in worker/protocol.ts). */
  onBusy?: (workerId: number, running: number, computeMsTotal: number) => void;
}

interface Pending {
  resolve: (m: FromWorker) => void;
  reject: (e: unknown) => void;
}

interface Slot {
  id: number;
  worker: Worker;
  inflight: Map<number, Pending>;
  ready: Promise<void>;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private nextWorkerId = 1;
  private closed = false;
  crashes = 0;

  constructor(private readonly opts: PoolOptions) {
    for (let i = 0; i < opts.size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const id = this.nextWorkerId++;
    const file = path.join(/*turbopackIgnore: true*/ this.opts.root, "build", "runtime-worker.mjs");
    const worker = new Worker(file, {
      workerData: { workerId: id, intraOpThreads: this.opts.intraOpThreads, batching: this.opts.batching, root: this.opts.root, testHooks: this.opts.testHooks },
    });
    const slot: Slot = { id, worker, inflight: new Map(), ready: Promise.resolve() };
    slot.ready = new Promise<void>((resolve, reject) => {
      worker.once("message", (m: FromWorker) => (m.t === "ready" ? resolve() : reject(new Error("worker did not start"))));
      worker.once("error", reject);
    });
    slot.ready.catch(() => undefined);
    worker.on("message", (m: FromWorker) => {
      if (m.t === "ready") return;
      if (m.t === "busy") return this.opts.onBusy?.(slot.id, m.running, m.computeMsTotal);
      const p = slot.inflight.get(m.id);
      if (!p) return; // its worker was replaced meanwhile
      slot.inflight.delete(m.id);
      p.resolve(m);
    });
    const onDeath = (reason: string) => {
      const idx = this.slots.indexOf(slot);
      if (idx < 0) return; // already replaced
      for (const p of slot.inflight.values()) {
        p.reject(new RuntimeError("worker_crashed", `the inference worker stopped while running this request (${reason})`, 1));
      }
      slot.inflight.clear();
      this.opts.onBusy?.(slot.id, 0, -1);
      if (this.closed) return;
      this.crashes++;
      this.opts.onCrash?.(slot.id, reason);
      this.slots[idx] = this.spawn();
    };
    worker.on("error", (e) => onDeath(e.message));
    worker.on("exit", (code) => onDeath(`exit code ${code}`));
    return slot;
  }

  get size(): number {
    return this.slots.length;
  }

  /** Calls in flight per worker (for dispatch and status). */
  loads(): number[] {
    return this.slots.map((s) => s.inflight.size);
  }

  /** Sends a request to the given worker index and resolves with its reply. */
  call(index: number, id: number, msg: ToWorker, transfer: ArrayBuffer[] = []): Promise<FromWorker> {
    if (this.closed) return Promise.reject(new RuntimeError("shutting_down", "the runtime is shutting down", 1));
    const slot = this.slots[index];
    // Counted as in flight at once (dispatch reads loads() synchronously), posted when the worker is up.
    const reply = new Promise<FromWorker>((resolve, reject) => slot.inflight.set(id, { resolve, reject }));
    slot.ready.then(
      () => (slot.inflight.has(id) ? slot.worker.postMessage(msg, transfer) : undefined),
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
    for (const s of this.slots) if (s.inflight.has(id)) s.worker.postMessage({ t: "cancel", id } satisfies ToWorker);
  }

  broadcastUnload(weights: WeightKey[]): void {
    for (const s of this.slots) s.worker.postMessage({ t: "unload", weights } satisfies ToWorker);
  }

  /** Test hook: makes one worker die mid-flight. */
  crashOne(index = 0): void {
    this.slots[index]?.worker.postMessage({ t: "crash" } satisfies ToWorker);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
