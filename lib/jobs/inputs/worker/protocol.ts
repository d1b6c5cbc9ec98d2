/** Messages between openInput (main thread) and its reader thread. Plain data only: they cross postMessage. */
import type { InputInfo, InputUnit } from "../types";

export interface InputWorkerData {
  file: string;
  /** Install root: pdf.js reads its fonts, CMaps and wasm decoders from node_modules/pdfjs-dist under it. */
  root: string;
  from: number;
  dpi: number;
  maxPages: number;
  /** Niceness the thread gives itself before any work (lib/runtime/worker/priority.ts). */
  nice: number;
}

export interface WireError {
  code: string;
  message: string;
}

export type ToInputWorker = { t: "next" };

export type FromInputWorker =
  /** The input was opened and sized; `niced` says whether the thread lowered its priority. */
  | { t: "info"; info: InputInfo; niced: boolean }
  | { t: "unit"; unit: InputUnit }
  | { t: "end" }
  /** Opening or the requested unit failed: nothing else follows. */
  | { t: "error"; error: WireError };
