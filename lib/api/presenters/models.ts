import "server-only";
import { latestFigures } from "@/lib/db/benchmarks";
import { CATALOG, type CatalogEntry, type Modality, type Task } from "@/lib/models/catalog";
import { TEXT_SPEC_OPTION, type TextModelSpec } from "@/lib/models/text/spec";
import { uploadedEntry } from "@/lib/registry/entries";
import { registryRows } from "@/lib/registry/servables";
import { getRuntime } from "@/lib/runtime";
import { currentHost } from "@/lib/selection/host";
import type { ModelFigures } from "@/lib/selection/table";
import { versionFigures } from "@/lib/selection/version-figures";
import { redactReason } from "../redact";
import { modelDetailOutput, modelOutput, VERSION_STATUSES } from "../schemas/models";
import { presentRegistryModel } from "./registry";

/*
 * The model catalog as the API and the portal's pages show it: the built-ins (code-defined entries with the
 * admin's decisions from their rows) and the uploaded models (registry rows), with live runtime state. It reads the
 * database, the runtime and this host's identity itself: composing the layers below is the edge's job.
 */

type Row = Awaited<ReturnType<typeof registryRows>>[number];
type VersionRow = Row["versions"][number];

const MODALITY: Record<Task, Modality> = { ocr: "image", vad: "audio", tensor: "tensor", text: "text" };

const asArray = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

function sizeOf(files: unknown): number {
  return asArray(files).reduce((s, f) => s + (num(f.bytes) ?? 0), 0);
}

function runtimeState(servable: string) {
  return getRuntime().status().find((s) => s.id === servable);
}

/** The version most requests reach: the largest share, the newest among equals (none with traffic: the newest). */
function mainVersion(row: Row): VersionRow | undefined {
  return [...row.versions].reverse().reduce<VersionRow | undefined>((best, v) => (!best || v.trafficPercent > best.trafficPercent ? v : best), undefined);
}

function statusOf(v: VersionRow): (typeof VERSION_STATUSES)[number] {
  return (VERSION_STATUSES as readonly string[]).includes(v.status) ? (v.status as (typeof VERSION_STATUSES)[number]) : "failed";
}

const summaries = (row: Row | undefined) => (row?.versions ?? []).map((v) => ({ version: v.version, status: statusOf(v), traffic_percent: v.trafficPercent }));

function textOf(spec: TextModelSpec | undefined) {
  if (!spec) return null;
  const f = spec.featurizer;
  return { labels: spec.labels, kind: spec.kind, featurizer: { buckets: f.buckets, char: f.char, word: f.word, max_features: f.maxFeatures } };
}

function present(e: CatalogEntry, row: Row | undefined) {
  const st = runtimeState(e.id);
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
    size_bytes: sizeOf(row?.files),
    options: { ...e.defaults },
    built_in: true,
    versions: summaries(row),
    text: textOf(e.text),
  };
}

/** An uploaded model, described by its main version; its runtime state is that version's servable's. */
function presentUploaded(row: Row) {
  const main = mainVersion(row);
  const st = main ? runtimeState(`${row.id}@${main.version}`) : undefined;
  const failed = main?.status === "failed";
  // A text version's spec is shown as `text`, not as one long option string.
  const options = Object.fromEntries(Object.entries((main?.options ?? {}) as Record<string, unknown>).filter(([k, v]) => k !== TEXT_SPEC_OPTION && ["string", "number", "boolean"].includes(typeof v)));
  const spec = main && row.task === "text" ? uploadedEntry(row, main).text : undefined;
  return {
    id: row.id,
    object: "model" as const,
    task: row.task as Task,
    modality: MODALITY[row.task as Task],
    family: row.family,
    version: main?.version ?? row.version,
    variant: main?.version ?? row.variant,
    name: row.displayName,
    description: row.description,
    license: row.license,
    source: row.source,
    default: row.isDefault,
    enabled: row.enabled,
    status: failed ? ("FAILED" as const) : (st?.state ?? "UNLOADED"),
    status_reason: redactReason(failed ? (main?.statusReason ?? undefined) : st?.reason),
    size_bytes: sizeOf(main?.files),
    options: options as Record<string, string | number | boolean>,
    built_in: false,
    versions: summaries(row),
    text: textOf(spec),
  };
}

/** An uploaded model of a task this build knows (a row of another version's task is left out, not a 500). */
const isUploaded = (r: Row): boolean => !r.builtIn && r.task in MODALITY;

/** The catalog as the API shows it: built-ins in catalog order, then uploaded models by task and id. */
export async function listModels() {
  const rows = await registryRows();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const builtIns = CATALOG.map((e) => modelOutput.parse(present(e, byId.get(e.id))));
  return [...builtIns, ...rows.filter(isUploaded).map((r) => modelOutput.parse(presentUploaded(r)))];
}

/** The headline of a version's figures: p95 at concurrency 1 (or the lowest measured), accuracy or MAE, load and memory. */
function figuresOf(f: ModelFigures | null | undefined) {
  if (!f) return null;
  const levels = Object.keys(f.latency).map(Number).sort((a, b) => a - b);
  const p95 = f.latency[1]?.p95 ?? (levels.length ? (f.latency[levels[0]]?.p95 ?? null) : null);
  return { p95_ms: p95, accuracy: f.accuracy, macro_f1: f.detail.macro_f1 ?? null, mae: f.detail.mae ?? null, cold_load_ms: f.coldLoadMs, memory_mb: f.memoryPeakMb };
}

/** The registry's view of each version (files, signature: the admin API's own presenter), with this host's figures. */
function versionDetails(row: Row | undefined, figures: Map<string, ModelFigures | null>) {
  if (!row) return [];
  // Each version's own spec: a run's candidates differ in featurizer and kind.
  const specs = new Map(row.versions.map((v) => [v.version, row.task === "text" ? textOf(uploadedEntry(row, v).text) : null]));
  return presentRegistryModel(row).versions.map((v) => ({
    version: v.version,
    status: v.status,
    traffic_percent: v.traffic_percent,
    status_reason: redactReason(v.status_reason ?? undefined),
    created_at: v.created_at,
    size_bytes: v.size_bytes,
    files: v.files,
    signature: v.signature,
    figures: figuresOf(figures.get(v.version)),
    text: specs.get(v.version) ?? null,
  }));
}

export async function getModel(id: string) {
  const rows = await registryRows();
  const row = rows.find((r) => r.id === id);
  const e = CATALOG.find((c) => c.id === id);
  if (!e && (!row || !isUploaded(row))) return null;
  const host = currentHost().fingerprint;
  // Only this machine's figures: another host's latencies would mislead.
  const [bench, perVersion] = await Promise.all([latestFigures(host, [id]), versionFigures(id)]);
  const files = row?.builtIn ? row.files : asArray(mainVersion(row!)?.files).map((f) => ({ key: str(f.key) ?? "", path: str(f.name) ?? "", bytes: num(f.bytes) }));
  return modelDetailOutput.parse({
    ...(e ? present(e, row) : presentUploaded(row!)),
    files: files ?? [],
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
    versions: versionDetails(row, new Map(perVersion.map((v) => [v.version, v.figures]))),
  });
}
