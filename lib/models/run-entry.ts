/**
 * Runs one catalog entry on one input: the bridge between the catalog and the family pipelines. Executed inside
 * inference workers; options are layered as pipeline defaults < the variant's defaults < the request's.
 */
import type { CatalogEntry } from "./catalog";
import { resolveOcrOptions, runOcr, type OcrOptions, type OcrResult } from "./ocr";
import { InputError, type InferenceContext } from "./tensor";
import { runVad, type VadOptions, type VadResult, type VadVersion } from "./vad";

export type EntryOutput = { task: "ocr"; result: OcrResult } | { task: "vad"; result: VadResult };

export async function runEntry(entry: CatalogEntry, input: Buffer, options: Record<string, unknown>, ctx: InferenceContext): Promise<EntryOutput> {
  if (entry.task === "ocr") {
    const merged = resolveOcrOptions({ ...entry.defaults, ...options } as Partial<OcrOptions>);
    return { task: "ocr", result: await runOcr(input, merged, ctx) };
  }
  if (entry.task === "vad") {
    const version = entry.defaults.version as VadVersion;
    return { task: "vad", result: await runVad(input, version, options as VadOptions, ctx) };
  }
  throw new InputError("invalid_option", `model ${entry.id} has no pipeline`);
}
