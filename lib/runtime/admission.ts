/**
 * Admission by decoded size: a per-process budget of the memory that pipeline requests in flight will need once
 * decoded (PARETO_INFLIGHT_DECODE_MB). The input is measured from its header alone (no pixel decoded), its peak
 * is estimated (lib/models/memory-estimate.ts), and the bytes are reserved before the request is sent to the
 * runtime and released when the runtime is done with it. Beyond the budget: 503 `overloaded` with Retry-After,
 * never a queue (a queue of 40 MP images is itself the memory problem). A request that could never fit, even
 * alone, is the caller's input: 422 `image_too_large` / `audio_too_long`, naming the option that would make it fit.
 */
import { env } from "@/lib/config/env";
import type { CatalogEntry } from "@/lib/models/catalog";
import { audioSize, imageSize, type InputSize } from "@/lib/models/input-size";
import { peakBytes, tensorPeakBytes } from "@/lib/models/memory-estimate";
import { resolveOcrOptions, type OcrOptions } from "@/lib/models/ocr";
import { DEFAULT_VAD_OPTIONS } from "@/lib/models/vad/options";
import { InputError, RuntimeError } from "./errors";

export interface DecodeLease {
  /** The estimate reserved for this request. */
  readonly bytes: number;
  /** The input as measured from its header (null for raw tensors). */
  readonly size: InputSize | null;
  /** Idempotent. */
  release(): void;
}

const MB = 1024 * 1024;

class DecodeBudget {
  inFlightBytes = 0;
  inFlight = 0;
  refused = 0;

  tryTake(bytes: number, limit: number): boolean {
    if (this.inFlightBytes + bytes > limit) return false;
    this.inFlightBytes += bytes;
    this.inFlight++;
    return true;
  }

  give(bytes: number): void {
    this.inFlightBytes = Math.max(0, this.inFlightBytes - bytes);
    this.inFlight = Math.max(0, this.inFlight - 1);
  }
}

// Process-wide, like the runtime itself: every copy of lib/ Next.js makes must share one budget.
const g = globalThis as unknown as { __paretoDecodeBudget?: DecodeBudget };
function budget(): DecodeBudget {
  g.__paretoDecodeBudget ??= new DecodeBudget();
  return g.__paretoDecodeBudget;
}

/** Figures for /metrics and tests: bytes and requests currently admitted, refusals since start. */
export function decodeBudgetStats(): { limitBytes: number; inFlightBytes: number; inFlight: number; refused: number } {
  const b = budget();
  return { limitBytes: env.inflightDecodeMb() * MB, inFlightBytes: b.inFlightBytes, inFlight: b.inFlight, refused: b.refused };
}

/** The request's input as its header says, under the limits the worker will apply (variant defaults < request). */
export async function measureRequest(entry: CatalogEntry, input: Buffer, options: Record<string, unknown>): Promise<InputSize> {
  if (entry.task === "ocr") return imageSize(input, ocrOptionsOf(entry, options).maxPixels);
  const maxSeconds = typeof options.maxSeconds === "number" ? options.maxSeconds : DEFAULT_VAD_OPTIONS.maxSeconds;
  return audioSize(input, maxSeconds);
}

function ocrOptionsOf(entry: CatalogEntry, options: Record<string, unknown>): OcrOptions {
  return resolveOcrOptions({ ...entry.defaults, ...options } as Partial<OcrOptions>);
}

/** Estimates the peak of an input measured by measureRequest and reserves it; throws when it does not fit now (or ever). */
export function admitDecode(entry: CatalogEntry, size: InputSize, options: Record<string, unknown>): DecodeLease {
  const limit = env.inflightDecodeMb() * MB;
  if (size.kind === "image") {
    const detLimitSide = ocrOptionsOf(entry, options).detLimitSide;
    const bytes = peakBytes(size, detLimitSide);
    if (bytes > limit) {
      throw new InputError(
        "image_too_large",
        `a ${size.width}x${size.height} image at det_limit_side ${detLimitSide} needs about ${Math.ceil(bytes / MB)} MB while it runs; this server admits ${limit / MB} MB of decoded input at once. Send a smaller image or a smaller det_limit_side.`,
        "detLimitSide",
      );
    }
    return take(bytes, limit, size);
  }
  const bytes = peakBytes(size, 0);
  if (bytes > limit) {
    throw new InputError("audio_too_long", `this audio needs about ${Math.ceil(bytes / MB)} MB while it runs; this server admits ${limit / MB} MB of decoded input at once. Send shorter audio or a lower sample rate.`);
  }
  return take(bytes, limit, size);
}

function take(bytes: number, limit: number, size: InputSize | null): DecodeLease {
  const b = budget();
  if (!b.tryTake(bytes, limit)) {
    b.refused++;
    throw new RuntimeError("overloaded", `the server is busy with ${Math.round(b.inFlightBytes / MB)} MB of decoded input in flight (this request needs about ${Math.ceil(bytes / MB)} MB); try again shortly`, 1);
  }
  let released = false;
  return {
    bytes,
    size,
    release() {
      if (released) return;
      released = true;
      b.give(bytes);
    },
  };
}

/** The same budget for a raw-tensor call (KServe): its inputs are already decoded, the graph's activations are not. */
export function admitTensors(weightKey: string, inputs: readonly { dims: readonly number[] }[]): DecodeLease {
  const limit = env.inflightDecodeMb() * MB;
  const bytes = tensorPeakBytes(weightKey, inputs);
  if (bytes > limit) {
    throw new InputError("invalid_option", `these tensors need about ${Math.ceil(bytes / MB)} MB while the graph runs; this server admits ${limit / MB} MB at once. Send smaller tensors.`, "inputs");
  }
  return take(bytes, limit, null);
}
