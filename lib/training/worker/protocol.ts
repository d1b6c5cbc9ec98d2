/** Messages between the training service (main thread) and its worker thread. Plain data only: they cross postMessage. */
import type { Message } from "@/lib/i18n/message";
import type { DatasetReport } from "../dataset";
import type { Objective, TrainProgress, TrainResult } from "../train";

export interface TrainingWorkerData {
  /** "preview": read the dataset and report; "train": then train on it. */
  mode: "preview" | "train";
  /** The dataset's bytes (transferred, not copied). */
  dataset: ArrayBuffer;
  filename?: string;
  options: { budgetS: number; objective: Objective; seed: number };
  /** Niceness the thread gives itself before any work (lib/runtime/worker/priority.ts). */
  nice: number;
  /** Int32Array[0] set to 1 by the main thread: stop at the trainer's next check. */
  cancel: SharedArrayBuffer;
}

export interface WireError {
  code: string;
  message: string;
  i18n?: Message;
}

export type FromTrainingWorker =
  /** The thread's kernel id (null off Linux) and whether its priority was lowered. */
  | { t: "started"; tid: number | null; niced: boolean }
  /** The dataset was read; `refusal` when no classifier can be trained on it (a 4xx: nothing else follows). */
  | { t: "parsed"; report: DatasetReport; refusal: WireError | null }
  /** The dataset cannot be read at all (too large, UTF-16, no CSV header…): nothing else follows. */
  | { t: "refused"; error: WireError }
  | { t: "progress"; progress: TrainProgress }
  | { t: "result"; result: TrainResult }
  | { t: "cancelled" }
  | { t: "failed"; error: WireError };
