import "server-only";
import { latestFigures } from "@/lib/db/benchmarks";
import { versionHeadlines } from "@/lib/db/version-figures";
import { CATALOG, type CatalogEntry, type Task } from "@/lib/models/catalog";
import type { Headline } from "@/lib/models/summary";
import { registryRows } from "@/lib/registry/servables";
import { getRuntime } from "@/lib/runtime";
import { currentHost } from "@/lib/selection/host";
import { redactReason } from "../redact";
import { modelDetailOutput, modelOutput, VERSION_STATUSES, type FileSignature } from "../schemas/models";

/*
 * The model catalog as the API and the portal's pages show it: the built-ins (code-defined entries with the
 * admin's decisions from their rows) and the uploaded models (registry rows), with live runtime state. It reads the
 * database, the runtime and this host's identity itself: composing the layers below is the edge's job.
 */

type Row = Awaited<ReturnType<typeof registryRows>>[number];
type VersionRow = Row["versions"][number];

const MODALITY: Record<Task, "image" | "audio" | "tensor"> = { ocr: "image", vad: "audio", tensor: "tensor" };

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
  };
}

/** An uploaded model, described by its main version; its runtime state is that version's servable's. */
function presentUploaded(row: Row) {
  const main = mainVersion(row);
  const st = main ? runtimeState(`${row.id}@${main.version}`) : undefined;
  const failed = main?.status === "failed";
  const options = Object.fromEntries(Object.entries((main?.options ?? {}) as Record<string, unknown>).filter(([, v]) => ["string", "number", "boolean"].includes(typeof v)));
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

/** One file's signature as stored at upload ({ role, opset, irVersion, producer, ops, spec | inputs/outputs }). */
function signatureOf(s: Record<string, unknown>): FileSignature {
  const spec = (s.spec ?? s) as { inputs?: unknown; outputs?: unknown };
  const tensors = (v: unknown) => asArray(v).map((t) => ({ name: str(t.name) ?? "", datatype: str(t.datatype) ?? "", shape: Array.isArray(t.shape) ? (t.shape as (number | string)[]) : [] }));
  return {
    role: str(s.role) ?? str(s.key) ?? "model",
    opset: num(s.opset),
    ir_version: num(s.irVersion ?? s.ir_version),
    producer: str(s.producer),
    ops: Array.isArray(s.ops) ? (s.ops as unknown[]).filter((o): o is string => typeof o === "string") : [],
    inputs: tensors(spec.inputs),
    outputs: tensors(spec.outputs),
  };
}

function figuresOf(h: Headline | undefined) {
  if (!h) return null;
  return { p95_ms: h.p95Ms, accuracy: h.accuracy, cold_load_ms: h.deploy.coldLoadMs, memory_mb: h.deploy.memoryMb };
}

function versionDetails(row: Row | undefined, figures: Record<string, Headline>) {
  return (row?.versions ?? []).map((v) => ({
    version: v.version,
    status: statusOf(v),
    traffic_percent: v.trafficPercent,
    status_reason: redactReason(v.statusReason ?? undefined),
    created_at: v.createdAt.toISOString(),
    size_bytes: sizeOf(v.files),
    files: asArray(v.files).map((f) => ({ role: str(f.role) ?? "", name: str(f.name) ?? str(f.key) ?? "", sha256: str(f.sha256), bytes: num(f.bytes) })),
    signature: asArray(v.signature).map(signatureOf),
    figures: figuresOf(row?.builtIn ? figures[row.id] : figures[`${v.modelId}@${v.version}`]),
  }));
}

export async function getModel(id: string) {
  const rows = await registryRows();
  const row = rows.find((r) => r.id === id);
  const e = CATALOG.find((c) => c.id === id);
  if (!e && (!row || !isUploaded(row))) return null;
  const host = currentHost().fingerprint;
  // Only this machine's figures: another host's latencies would mislead.
  const [bench, perVersion] = await Promise.all([latestFigures(host, [id]), versionHeadlines(host, id)]);
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
    versions: versionDetails(row, perVersion),
  });
}
