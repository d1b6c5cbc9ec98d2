import "server-only";
import { latestFigures } from "@/lib/db/benchmarks";
import { listModelRows } from "@/lib/db/models";
import { CATALOG, catalogEntry, type CatalogEntry } from "@/lib/models/catalog";
import { getRuntime } from "@/lib/runtime";
import { currentHost } from "@/lib/selection/host";
import { redactReason } from "../redact";
import { modelDetailOutput, modelOutput } from "../schemas/models";

/*
 * The model catalog as the API and the portal's pages show it. It reads the database, the runtime and this host's
 * identity itself: composing the layers below is the edge's job, and nothing below needs this view.
 */

type Row = Awaited<ReturnType<typeof listModelRows>>[number];

function sizeOf(row: Row | undefined): number {
  const files = (row?.files ?? []) as { bytes: number | null }[];
  return files.reduce((s, f) => s + (f.bytes ?? 0), 0);
}

function present(e: CatalogEntry, row: Row | undefined) {
  const st = getRuntime().status().find((s) => s.id === e.id);
  return {
    id: e.id,
    object: "model" as const,
    task: e.task,
    modality: e.modality,
    family: e.family,
    version: e.version,
    variant: e.variant,
    name: e.displayName,
    description: e.description,
    license: e.license,
    source: e.source,
    default: row ? row.isDefault : Boolean(e.isTaskDefault),
    enabled: row?.enabled ?? true,
    status: st?.state ?? "UNLOADED",
    status_reason: redactReason(st?.reason),
    size_bytes: sizeOf(row),
    options: { ...e.defaults },
  };
}

/** The catalog as the API shows it: code-defined entries, admin decisions from the DB, live runtime state. */
export async function listModels() {
  const rows = new Map((await listModelRows()).map((r) => [r.id, r]));
  return CATALOG.map((e) => modelOutput.parse(present(e, rows.get(e.id))));
}

export async function getModel(id: string) {
  const e = catalogEntry(id);
  if (!e) return null;
  const row = (await listModelRows()).find((r) => r.id === id);
  // Only this machine's figures: another host's latencies would mislead.
  const bench = await latestFigures(currentHost().fingerprint, [id]);
  return modelDetailOutput.parse({
    ...present(e, row),
    files: row?.files ?? [],
    inputs: row?.inputSchema ?? [],
    outputs: row?.outputSchema ?? [],
    benchmarks: bench.map((b) => ({
      metric: b.metric,
      value: b.value,
      unit: b.unit,
      conditions: b.conditions,
      host_fingerprint: b.hostFingerprint,
      measured_at: b.measuredAt.toISOString(),
    })),
  });
}
