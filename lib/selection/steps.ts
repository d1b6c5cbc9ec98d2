import "server-only";
/** Two runner steps that need no eval data: what the ONNX files declare, and clearing the way for a cold load. */
import fs from "node:fs";
import type { CatalogEntry } from "@/lib/models/catalog";
import { resolveWeightPath as weightPath } from "@/lib/models/weights";
import type { ModelStatus } from "@/lib/runtime";
import { readOnnxMeta } from "./onnx-meta";

export interface StaticRow {
  metric: string;
  value: number;
  unit: string;
  conditions: Record<string, unknown>;
}

/** Total bytes of an entry's files (0 for a missing one: the load step reports it). */
export function weightBytes(entry: CatalogEntry, root: string): number {
  return entry.weights.reduce((s, w) => s + (fs.statSync(weightPath(w, root), { throwIfNoEntry: false })?.size ?? 0), 0);
}

/** File size, highest standard opset, dynamic axes and non-standard operators of an entry's ONNX files. */
export function staticFacts(entry: CatalogEntry, root: string): StaticRow[] {
  const metas = entry.files.filter((f) => f.spec).map(({ key: w }) => ({ key: w, meta: readOnnxMeta(weightPath(w, root)) })); // the OCR dictionary is a text file
  const bytes = entry.weights.reduce((s, w) => s + fs.statSync(weightPath(w, root)).size, 0);
  const opset = Math.max(...metas.map((m) => m.meta.defaultOpset ?? 0));
  const axes = metas.flatMap((m) => m.meta.dynamicAxes.map((a) => `${m.key}:${a.tensor}[${a.axis}]`));
  const custom = [...new Set(metas.flatMap((m) => m.meta.ops.filter((op) => op.includes(":"))))];
  const perWeight = metas.map((m) => ({ key: m.key, opset: m.meta.defaultOpset, irVersion: m.meta.irVersion, producer: m.meta.producer, ops: m.meta.ops.length }));
  return [
    { metric: "file_size_bytes", value: bytes, unit: "bytes", conditions: { files: entry.weights } },
    { metric: "opset", value: opset, unit: "opset", conditions: { weights: perWeight } },
    { metric: "dynamic_axes", value: axes.length, unit: "axes", conditions: { axes } },
    { metric: "custom_ops", value: custom.length, unit: "ops", conditions: { ops: custom } },
  ];
}

/**
 * Unloads the entry and every idle servable sharing a weight file with it (an uploaded version may share a file by
 * hash with another), so its load really starts from disk.
 * A variant busy with live traffic is left alone (the load is then not cold, and says so). Returns the other
 * variants it unloaded, to reload once the run is over.
 */
export function clearForColdLoad(
  entry: CatalogEntry,
  status: ModelStatus[],
  unload: (id: string) => boolean,
  entryOf: (id: string) => CatalogEntry | undefined,
): { cold: boolean; unloaded: string[] } {
  let cold = true;
  const unloaded: string[] = [];
  for (const s of status) {
    if (s.state !== "READY" || !entryOf(s.id)?.weights.some((w) => entry.weights.includes(w))) continue;
    if (s.queued + s.inFlight > 0) {
      cold = false;
      continue;
    }
    unload(s.id);
    if (s.id !== entry.id) unloaded.push(s.id);
  }
  return { cold, unloaded };
}
