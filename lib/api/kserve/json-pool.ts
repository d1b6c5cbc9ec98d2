import "server-only";
import os from "node:os";
import { Worker } from "node:worker_threads";
import { env } from "@/lib/config/env";
import { log } from "@/lib/log";
import { ApiError } from "../errors";
import { decodeTensorJson, type TensorJsonResult } from "./json-decode";

/**
 * Large KServe bodies are parsed in worker threads: JSON.parse and a walk over millions of numbers take hundreds
 * of milliseconds per body, which on the event loop stalls every other request (health checks included). Below
 * OFF_THREAD_BYTES the round trip costs more than it saves, so small bodies (a Silero frame is ~10 KB) are
 * decoded in place.
 */
export const OFF_THREAD_BYTES = 256 * 1024;
/** Bodies waiting for a parser beyond this are refused (503 overloaded) rather than held in memory. */
const MAX_WAITING = 16;

// The worker runs the decoder's own source text (json-decode.ts keeps it self-contained), so no second bundle is
// needed and the code that runs off the thread is the code the unit tests exercise.
// Below the main thread's priority, like the inference workers: parsing three 28 MB bodies must not take the cores
// from the event loop that answers everyone else.
const SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
// lib/runtime/worker/priority.ts, written out: this text runs unbundled, so it cannot name imported modules.
try {
  const tid = Number(require("node:fs").readlinkSync("/proc/thread-self").split("/").pop());
  if (workerData.nice > 0 && Number.isInteger(tid) && tid > 0) require("node:os").setPriority(tid, workerData.nice);
} catch {}
const decode = ${decodeTensorJson.toString()};
parentPort.on("message", (m) => {
  let r;
  try {
    r = decode(new Uint8Array(m.bytes), m.maxElements);
  } catch (e) {
    r = { ok: false, code: "crash", message: String((e && e.message) || e) };
  }
  parentPort.postMessage({ id: m.id, r }, r.ok ? r.buffers : []);
});
`;

interface Job {
  id: number;
  bytes: ArrayBuffer;
  maxElements: number;
  resolve: (r: TensorJsonResult) => void;
  reject: (e: unknown) => void;
}

interface Parser {
  worker: Worker;
  job: Job | null;
}

type Reply = { id: number; r: TensorJsonResult | { ok: false; code: "crash"; message: string } };

class JsonPool {
  private readonly parsers: Parser[] = [];
  private readonly waiting: Job[] = [];
  private nextId = 1;

  constructor(private readonly size: number) {}

  decode(bytes: Buffer, maxElements: number): Promise<TensorJsonResult> {
    if (this.waiting.length >= MAX_WAITING) {
      return Promise.reject(new ApiError("overloaded", "Too many large tensor bodies are being parsed; retry shortly.", { headers: { "retry-after": "1" } }));
    }
    // Transferred, not copied, when the Buffer owns its whole ArrayBuffer (a large Buffer.concat does); a view into
    // a shared pool is copied first.
    const whole = bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength && bytes.buffer instanceof ArrayBuffer;
    const own = whole ? (bytes.buffer as ArrayBuffer) : new Uint8Array(bytes).buffer;
    return new Promise((resolve, reject) => {
      this.waiting.push({ id: this.nextId++, bytes: own, maxElements, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.waiting.length) {
      let p = this.parsers.find((x) => !x.job);
      if (!p && this.parsers.length < this.size) p = this.spawn();
      if (!p) return;
      const job = this.waiting.shift()!;
      p.job = job;
      p.worker.postMessage({ id: job.id, bytes: job.bytes, maxElements: job.maxElements }, [job.bytes]);
    }
  }

  private spawn(): Parser {
    // A generous heap ceiling: the largest body (twice the upload cap) needs a few hundred MB at most; a runaway
    // parse ends this worker, not the server.
    const worker = new Worker(SOURCE, { eval: true, workerData: { nice: env.workerNice() }, resourceLimits: { maxOldGenerationSizeMb: 1024 } });
    worker.unref();
    const p: Parser = { worker, job: null };
    worker.on("message", (m: Reply) => {
      const job = p.job;
      p.job = null;
      if (job && job.id === m.id) {
        if (m.r.ok || m.r.code !== "crash") job.resolve(m.r);
        else job.reject(new Error(`tensor JSON parser failed: ${m.r.message}`));
      }
      this.pump();
    });
    const died = (why: string) => {
      const i = this.parsers.indexOf(p);
      if (i < 0) return;
      this.parsers.splice(i, 1);
      log("warn", "tensor JSON parser stopped", { reason: why });
      p.job?.reject(new Error(`tensor JSON parser stopped: ${why}`));
      p.job = null;
      this.pump();
    };
    worker.on("error", (e) => died(e.message));
    worker.on("exit", (code) => died(`exit code ${code}`));
    this.parsers.push(p);
    return p;
  }
}

const g = globalThis as unknown as { __paretoJsonPool?: JsonPool };

/**
 * Decodes a KServe JSON body: in a worker thread when large, in place when small. Takes the bytes: a large Buffer
 * that owns its memory is handed over to the worker (not copied) and is empty afterwards.
 */
export function decodeKserveJson(bytes: Buffer, maxElements: number): Promise<TensorJsonResult> {
  if (bytes.byteLength < OFF_THREAD_BYTES) return Promise.resolve(decodeTensorJson(bytes, maxElements));
  // One parser per spare core, at most two: the event loop keeps a core of its own.
  g.__paretoJsonPool ??= new JsonPool(Math.max(1, Math.min(2, (os.availableParallelism?.() ?? os.cpus().length) - 1)));
  return g.__paretoJsonPool.decode(bytes, maxElements);
}
