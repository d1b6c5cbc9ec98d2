/**
 * The training worker thread: reads the dataset and trains on it, below the inference workers' priority, so a run
 * only takes the CPU that serving leaves. One run per thread; the thread ends with the run. Synchronous inside (the
 * trainer is CPU-bound): cancellation arrives through shared memory the trainer polls between mini-batches, since
 * a busy thread reads no messages. Bundled to build/training-worker.mjs (scripts/build-worker.mjs).
 */
import { parentPort, workerData } from "node:worker_threads";
import { isDomainError } from "@/lib/models/errors";
import { lowerThreadPriority, threadId } from "@/lib/runtime/worker/priority";
import { assertTrainable, parseDataset } from "../dataset";
import { trainTextClassifier } from "../train";
import type { FromTrainingWorker, TrainingWorkerData, WireError } from "./protocol";

const data = workerData as TrainingWorkerData;
const port = parentPort!;
// First, before any allocation or parsing: everything this thread does runs at the lowered priority.
const niced = lowerThreadPriority(data.nice);
const stop = new Int32Array(data.cancel);

function post(msg: FromTrainingWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(msg, transfer);
}

/** An error's code when it has one (domain errors, the trainer's TrainingCancelled), else `fallback`. */
function codeOf(e: unknown, fallback: string): string {
  if (isDomainError(e)) return e.code;
  const code = typeof e === "object" && e !== null ? (e as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : fallback;
}

function wire(e: unknown, fallback: string): WireError {
  const i18n = typeof e === "object" && e !== null && "i18n" in e ? (e as { i18n: WireError["i18n"] }).i18n : undefined;
  return { code: codeOf(e, fallback), message: e instanceof Error ? e.message : String(e), ...(i18n ? { i18n } : {}) };
}

function run(): void {
  post({ t: "started", tid: threadId(), niced });
  let parsed;
  try {
    parsed = parseDataset(Buffer.from(data.dataset), data.filename);
  } catch (e) {
    return post({ t: "refused", error: wire(e, "dataset_invalid") });
  }
  try {
    assertTrainable(parsed.report);
  } catch (e) {
    return post({ t: "parsed", report: parsed.report, refusal: wire(e, "dataset_invalid") });
  }
  post({ t: "parsed", report: parsed.report, refusal: null });
  if (data.mode === "preview") return;
  try {
    const result = trainTextClassifier(
      { texts: parsed.texts, labels: parsed.labels },
      { ...data.options, shouldStop: () => Atomics.load(stop, 0) === 1, onProgress: (progress) => post({ t: "progress", progress }) },
    );
    // The graphs move to the main thread, not copied (a candidate can be tens of MB).
    const transfer = [...new Set(result.candidates.map((c) => c.onnx.buffer as ArrayBuffer))];
    post({ t: "result", result }, transfer);
  } catch (e) {
    if (codeOf(e, "") === "cancelled" || Atomics.load(stop, 0) === 1) return post({ t: "cancelled" });
    post({ t: "failed", error: wire(e, "training_failed") });
  }
}

run();
