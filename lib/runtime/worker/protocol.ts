/** Messages between the pool (main thread) and inference workers. Plain data only: they cross postMessage. */
import type { CatalogEntry, EntryFile } from "@/lib/models/catalog";
import type { Tensor } from "@/lib/models/tensor";

export type WireFeeds = Record<string, Tensor>;

export type ToWorker =
  /** The entry travels with the request: uploaded models are known to the main thread's registry, not the bundle. */
  | { t: "run"; id: number; entry: CatalogEntry; input: Uint8Array; options: Record<string, unknown> }
  | { t: "infer"; id: number; weightKey: string; feeds: WireFeeds }
  /** Files to open (ONNX sessions; an expected SHA-256 is checked first) and the specs their runs batch by. */
  | { t: "load"; id: number; files: EntryFile[] }
  | { t: "unload"; weights: string[] }
  | { t: "cancel"; id: number }
  | { t: "crash" };

export interface RunStats {
  /** Time this request kept the worker busy: its own pre/post-processing plus its share of batched runs. */
  computeMs: number;
  /** Wall time from the worker starting the request to finishing it (includes waiting for batch company). */
  workerMs: number;
  /** Sizes of the ONNX runs this request took part in, by weight. */
  batches: { weightKey: string; size: number; ms: number }[];
}

export type WorkerErrorKind = "input" | "load" | "cancelled" | "internal";

export type FromWorker =
  | { t: "ready"; workerId: number }
  | { t: "ok"; id: number; output: unknown; stats: RunStats }
  | { t: "loaded"; id: number; weights: string[]; ms: number }
  /** What the worker itself says it is doing, whatever the pool thinks: sent as each request starts and ends. */
  | { t: "busy"; running: number; computeMsTotal: number }
  /** `stats`: what a request had spent when it stopped (cancelled mid-way, or failed after some work). */
  | { t: "err"; id: number; kind: WorkerErrorKind; code?: string; message: string; param?: string; stats?: RunStats };
