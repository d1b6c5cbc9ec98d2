import "server-only";
/**
 * The main thread's side of a job input: one worker thread per open reader (build/job-input-worker.mjs), niced,
 * asked for one unit at a time. The thread prepares the next unit while the runner works on the current one, and
 * no further. Errors cross the thread as {code, message}: input failures come back as InputError (the job fails
 * with their code), a dead or faulty thread as RuntimeError("worker_crashed"), an abort as RuntimeError("cancelled").
 */
import path from "node:path";
import { Worker } from "node:worker_threads";
import { env } from "@/lib/config/env";
import { RuntimeError } from "@/lib/runtime/errors";
import { inputError, isInputFailureCode } from "./errors";
import { clampDpi } from "./page-size";
import { DEFAULT_DPI, type InputInfo, type InputUnit, type OpenOptions } from "./types";
import type { FromInputWorker, InputWorkerData, ToInputWorker, WireError } from "./worker/protocol";

export interface InputReader {
  readonly info: InputInfo;
  /** The next unit, or null after the last. Calls are answered in order; one at a time is the intended use. */
  next(): Promise<InputUnit | null>;
  /** Ends the reader's thread (safe to call more than once, and after an error). */
  close(): Promise<void>;
}

export function inputWorkerFile(root: string = env.root()): string {
  return path.join(/*turbopackIgnore: true*/ path.resolve(/*turbopackIgnore: true*/ root), "build", "job-input-worker.mjs");
}

function toError(e: WireError): Error {
  return isInputFailureCode(e.code) ? inputError(e.code, e.message) : new RuntimeError("worker_crashed", `the input reader failed: ${e.message}`);
}

type Waiter = { resolve: (m: FromInputWorker) => void; reject: (e: Error) => void };

class WorkerReader implements InputReader {
  info!: InputInfo;
  private readonly waiters: Waiter[] = [];
  /** Set once the thread is gone or failed: every later call gets it. */
  private failure: Error | null = null;
  private finished = false;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly exited: Promise<void>;

  constructor(
    private readonly worker: Worker,
    private readonly signal?: AbortSignal,
  ) {
    this.exited = new Promise((res) => worker.once("exit", () => res()));
    worker.on("message", (m: FromInputWorker) => {
      if (m.t === "error") this.fail(toError(m.error));
      else this.waiters.shift()?.resolve(m);
    });
    worker.on("error", (e) => this.fail(new RuntimeError("worker_crashed", `the input reader thread died: ${e.message}`)));
    worker.on("exit", (code) => this.fail(new RuntimeError("worker_crashed", `the input reader thread exited (code ${code})`)));
    signal?.addEventListener("abort", this.onAbort, { once: true });
  }

  private readonly onAbort = (): void => {
    this.fail(new RuntimeError("cancelled", "reading the input was cancelled"));
    void this.close();
  };

  private fail(e: Error): void {
    if (!this.failure) this.failure = e;
    for (const w of this.waiters.splice(0)) w.reject(this.failure);
  }

  /** The thread's next message (after a request, or the first one, `info`). */
  receive(): Promise<FromInputWorker> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  next(): Promise<InputUnit | null> {
    const p = this.chain.then(() => this.nextNow());
    this.chain = p.catch(() => undefined);
    return p;
  }

  private async nextNow(): Promise<InputUnit | null> {
    if (this.finished) return null;
    if (this.failure) throw this.failure;
    const reply = this.receive();
    this.worker.postMessage({ t: "next" } satisfies ToInputWorker);
    const m = await reply;
    if (m.t === "unit") return m.unit;
    this.finished = true;
    void this.close();
    return null;
  }

  async close(): Promise<void> {
    this.signal?.removeEventListener("abort", this.onAbort);
    if (!this.failure) this.failure = new RuntimeError("cancelled", "the input reader is closed");
    await this.worker.terminate().catch(() => undefined);
    await this.exited;
  }
}

/**
 * Opens a job's input in its own thread and reads its size: pages, or audio seconds and 60-second chunks.
 * Rejects with InputError (unsupported_media_type, pdf_encrypted, pdf_invalid, too_many_pages, image_invalid,
 * audio_invalid, empty_input) when the input is at fault, before any unit is produced.
 */
export async function openInput(file: string, opts: OpenOptions): Promise<InputReader> {
  if (opts.signal?.aborted) throw new RuntimeError("cancelled", "reading the input was cancelled");
  const root = env.root();
  const data: InputWorkerData = {
    file: path.resolve(file),
    root,
    from: Math.max(0, Math.floor(opts.from ?? 0)),
    dpi: clampDpi(opts.dpi, DEFAULT_DPI),
    maxPages: opts.maxPages,
    nice: opts.nice ?? 0,
  };
  const worker = new Worker(inputWorkerFile(root), { workerData: data });
  const reader = new WorkerReader(worker, opts.signal);
  try {
    const first = await reader.receive();
    if (first.t !== "info") throw new RuntimeError("worker_crashed", `the input reader sent ${first.t} before the input's size`);
    reader.info = first.info;
    return reader;
  } catch (e) {
    await reader.close();
    throw e;
  }
}
