import "server-only";
import type { JobRow } from "@/lib/db/jobs";
import type { CatalogEntry } from "@/lib/models/catalog";
import type { OcrResult } from "@/lib/models/ocr";
import { streamSegments, type VadChunkResult, type VadStreamState } from "@/lib/models/vad/stream";
import type { Runtime, RunOptions } from "@/lib/runtime";
import type { InputUnit } from "./inputs";
import { vadPipelineOptions, type JobVadOptions } from "./options";

/**
 * One page or chunk through the runtime, and the job's result from its recorded units.
 * OCR: a page is the synchronous pipeline on the rendered page. VAD: a chunk's speech probabilities, computed with
 * the detector's state carried from the previous chunk (lib/models/vad/stream.ts); the segmenter runs once over all
 * probabilities at the end, so the segments are those of one pass over the whole recording.
 */

/** The detector's recurrent state between chunks (JSON-safe: kept with the job between chunks). */
export type VadState = VadStreamState;

export interface UnitOutcome {
  result: object;
  units: number;
  computeMs: number;
  state: object | null;
}

const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

export async function ocrUnit(rt: Runtime, entry: CatalogEntry, unit: Extract<InputUnit, { kind: "page" }>, options: Record<string, unknown>, opts: RunOptions): Promise<UnitOutcome> {
  const run = await rt.run<{ task: "ocr"; result: OcrResult }>(entry.id, unit.png, options, { ...opts, handOver: true });
  const r = run.output.result;
  return {
    result: { page: unit.index + 1, width: r.width, height: r.height, lines: r.lines.map((l) => ({ text: l.text, confidence: round4(l.confidence), box: l.box })) },
    units: 1,
    computeMs: run.stats.computeMs,
    state: null,
  };
}

interface VadChunkOutput {
  task: "vad-chunk";
  result: VadChunkResult;
}

export async function vadUnit(rt: Runtime, entry: CatalogEntry, unit: Extract<InputUnit, { kind: "audio" }>, options: Record<string, unknown>, state: VadState | null, opts: RunOptions): Promise<UnitOutcome> {
  const samples = unit.samples;
  // Read before the run: the chunk's buffer is handed over (moved) to the worker, which leaves `samples` empty here.
  const sampleCount = samples.length;
  const bytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
  const run = await rt.run<VadChunkOutput>(entry.id, bytes, { ...options, stream: { state } }, { ...opts, handOver: true });
  const probs = run.output.result.probs;
  return {
    result: { probs: Buffer.from(probs.buffer, probs.byteOffset, probs.byteLength).toString("base64"), samples: sampleCount, start_s: unit.startS, seconds: unit.seconds },
    units: unit.seconds,
    computeMs: run.stats.computeMs,
    state: run.output.result.state,
  };
}

interface UnitRow {
  index: number;
  result: unknown;
}

interface VadUnitResult {
  probs: string;
  samples: number;
  seconds: number;
}

/** The job's result from the units recorded so far (all of them when it succeeded). */
export function assembleResult(row: JobRow, units: UnitRow[]): object {
  if (row.task === "ocr") return { pages: units.map((u) => u.result) };
  const parts = units.map((u) => u.result as VadUnitResult);
  let frames = 0;
  let samples = 0;
  let seconds = 0;
  const decoded = parts.map((p) => {
    const b = Buffer.from(p.probs, "base64");
    const f = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    frames += f.length;
    samples += p.samples;
    seconds += p.seconds;
    return f;
  });
  const probs = new Float32Array(frames);
  let at = 0;
  for (const f of decoded) {
    probs.set(f, at);
    at += f.length;
  }
  const durationS = Math.round(seconds * 1000) / 1000;
  return { duration_s: durationS, segments: samples ? streamSegments(probs, samples, vadPipelineOptions((row.options ?? {}) as JobVadOptions), durationS) : [] };
}
