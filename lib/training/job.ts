import "server-only";
/**
 * One training worker thread and what the main thread knows of it: the dataset report once read, the latest
 * progress and the loss curve as they arrive, and how it ended. The thread lowers its own priority before it reads
 * a byte (lib/runtime/worker/priority.ts), below the inference workers'. Cancelling sets a flag in shared memory
 * that the trainer polls between mini-batches; a thread that has not stopped within CANCEL_GRACE_MS is terminated
 * (V8 interrupts even a tight loop), so a cancel always lands within a second.
 */
import path from "node:path";
import { Worker } from "node:worker_threads";
import { env } from "@/lib/config/env";
import { DatasetError, type DatasetReport } from "./dataset";
import { say } from "./messages";
import type { Objective, TrainProgress, TrainResult } from "./train";
import type { CurvePoint, RunError, RunProgress } from "./view";
import type { FromTrainingWorker, TrainingWorkerData, WireError } from "./worker/protocol";

/** How long a cancelled trainer may take to notice before its thread is terminated. */
export const CANCEL_GRACE_MS = 600;
/** Enough for every epoch of every candidate of a long search; past it the curve stops growing (the run does not). */
const MAX_CURVE_POINTS = 5_000;
/** Training takes the run up to this fraction; registering the candidates takes the rest. */
export const TRAINING_SHARE = 0.95;

export type JobOutcome = { kind: "result"; result: TrainResult } | { kind: "cancelled" } | { kind: "failed"; error: RunError };

export interface JobInput {
  mode: "preview" | "train";
  bytes: Buffer;
  filename?: string;
  options: { budgetS: number; objective: Objective; seed: number };
}

export function workerFile(): string {
  return path.join(/*turbopackIgnore: true*/ path.resolve(/*turbopackIgnore: true*/ env.root()), "build", "training-worker.mjs");
}

/** A refusal from the thread as the DatasetError the API maps to its 4xx. */
export function refusal(e: WireError): DatasetError {
  return new DatasetError(e.code === "dataset_too_large" ? "dataset_too_large" : "dataset_invalid", { message: e.message, i18n: e.i18n });
}

export interface Parsed {
  report: DatasetReport;
  /** Why no classifier can be trained on it, or null. */
  refusal: DatasetError | null;
}

export class TrainingJob {
  readonly worker: Worker;
  /** The run row, once the dataset was accepted and the row written. */
  runId: string | null = null;
  /** The thread's kernel id and whether it lowered its priority (Linux). */
  thread: { tid: number | null; niced: boolean } | null = null;
  progress: RunProgress = { phase: "parsing", fraction: 0 };
  curve: CurvePoint[] = [];
  /** Progress or curve changed since the last write. */
  dirty = false;
  cancelRequested = false;
  /** Stopped because this process is stopping: the run is recorded as interrupted, not cancelled. */
  interrupted = false;
  /** The dataset's report; rejects with a DatasetError when it cannot be read at all (or the thread died first). */
  readonly parsed: Promise<Parsed>;
  /** How the thread's work ended (never rejects). */
  readonly outcome: Promise<JobOutcome>;
  /** Resolves once the thread is gone. */
  readonly exited: Promise<void>;
  private readonly stop = new SharedArrayBuffer(4);
  private settle: (o: JobOutcome) => void = () => undefined;
  private settled = false;
  private readonly listeners = new Set<() => void>();

  constructor(input: JobInput, nice: number) {
    let accept: (p: Parsed) => void = () => undefined;
    let refuse: (e: unknown) => void = () => undefined;
    this.parsed = new Promise<Parsed>((res, rej) => ((accept = res), (refuse = rej)));
    this.parsed.catch(() => undefined);
    this.outcome = new Promise<JobOutcome>((res) => (this.settle = res));
    // Its own copy of the bytes, moved to the thread: the caller's buffer may be a view of a larger one.
    const dataset = new Uint8Array(input.bytes).buffer;
    const data: TrainingWorkerData = { mode: input.mode, dataset, filename: input.filename, options: input.options, nice, cancel: this.stop };
    this.worker = new Worker(workerFile(), { workerData: data, transferList: [dataset] });
    this.exited = new Promise<void>((res) => this.worker.once("exit", () => res()));
    this.worker.on("message", (m: FromTrainingWorker) => {
      switch (m.t) {
        case "started":
          this.thread = { tid: m.tid, niced: m.niced };
          return;
        case "parsed":
          accept({ report: m.report, refusal: m.refusal ? refusal(m.refusal) : null });
          if (m.refusal) this.end({ kind: "failed", error: m.refusal });
          return;
        case "refused":
          refuse(refusal(m.error));
          return this.end({ kind: "failed", error: m.error });
        case "progress":
          return this.onProgress(m.progress);
        case "result":
          return this.end({ kind: "result", result: m.result });
        case "cancelled":
          return this.end({ kind: "cancelled" });
        case "failed":
          return this.end({ kind: "failed", error: m.error });
      }
    });
    const died = (detail: string) => {
      const said = say("run.workerDied", { detail });
      refuse(new Error(said.message));
      this.end(this.cancelRequested ? { kind: "cancelled" } : { kind: "failed", error: { code: "worker_crashed", ...said } });
    };
    this.worker.on("error", (e) => died(e.message));
    this.worker.on("exit", (code) => died(`exit code ${code}`));
  }

  private onProgress(p: TrainProgress): void {
    this.progress = { phase: p.phase, fraction: Math.round(Math.min(1, Math.max(0, p.fraction)) * TRAINING_SHARE * 1e4) / 1e4, ...(p.candidate ? { candidate: p.candidate } : {}), ...(p.epoch !== undefined ? { epoch: p.epoch } : {}) };
    if (p.candidate !== undefined && p.epoch !== undefined && p.trainLoss !== undefined && p.validLoss !== undefined) {
      const last = this.curve.at(-1);
      const point = { candidate: p.candidate, epoch: p.epoch, trainLoss: p.trainLoss, validLoss: p.validLoss };
      if (last && last.candidate === point.candidate && last.epoch === point.epoch) this.curve[this.curve.length - 1] = point;
      else if (this.curve.length < MAX_CURVE_POINTS) this.curve.push(point);
    }
    this.dirty = true;
    for (const f of this.listeners) f();
  }

  /** Called on every progress message (the CLI's progress bar). Returns the unsubscribe. */
  onChange(f: () => void): () => void {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  }

  setPhase(progress: RunProgress): void {
    this.progress = progress;
    this.dirty = true;
    for (const f of this.listeners) f();
  }

  private end(o: JobOutcome): void {
    if (this.settled) return;
    this.settled = true;
    this.settle(o);
    // Whatever ended it, the thread goes (a refused dataset, a failure: it has nothing left to do).
    void this.worker.terminate().catch(() => undefined);
  }

  get finished(): boolean {
    return this.settled;
  }

  /** Stops the trainer: at its next check, or by terminating the thread after CANCEL_GRACE_MS. Resolves once it has. */
  async cancel(): Promise<void> {
    this.cancelRequested = true;
    Atomics.store(new Int32Array(this.stop), 0, 1);
    const timer = setTimeout(() => void this.worker.terminate().catch(() => undefined), CANCEL_GRACE_MS);
    await this.outcome;
    clearTimeout(timer);
    await this.exited;
  }

  /** Ends the thread now (shutdown, a start that failed after the dataset was read). */
  async kill(): Promise<void> {
    this.cancelRequested = true;
    await this.worker.terminate().catch(() => undefined);
    this.end({ kind: "cancelled" });
    await this.exited;
  }
}

export function curveOf(result: TrainResult): CurvePoint[] {
  return result.curve.slice(0, MAX_CURVE_POINTS).map((c) => ({ candidate: c.candidate, epoch: c.epoch, trainLoss: c.trainLoss, validLoss: c.validLoss }));
}
