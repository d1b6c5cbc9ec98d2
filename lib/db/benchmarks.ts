import "server-only";
import { db, isPostgres, type Prisma } from "./client";
import { keepLatest } from "./latest-figures";

/** Plain data (no classes, no undefined) as a JSON column value. */
function json(v: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;
}

export interface BenchmarkRowInput {
  modelId: string;
  /** The measured version of an uploaded model; null or absent for a built-in. */
  version?: string | null;
  metric: string;
  value: number;
  unit: string;
  conditions: Record<string, unknown>;
}

export async function insertBenchmarkRows(runId: string | null, host: { fingerprint: string; host: object }, rows: readonly BenchmarkRowInput[]): Promise<void> {
  if (!rows.length) return;
  await db().modelBenchmark.createMany({
    data: rows.map((r) => ({
      modelId: r.modelId,
      version: r.version ?? null,
      runId,
      metric: r.metric,
      value: r.value,
      unit: r.unit,
      conditions: json(r.conditions),
      hostFingerprint: host.fingerprint,
      host: json(host.host),
    })),
  });
}

/** Rows scanned per query: far more than a full benchmark of every variant writes (≈ 30 figures per model). */
const LATEST_SCAN = 5000;

/**
 * The servable a stored figure belongs to: a built-in's model id, or `<model>@<version>` for an uploaded version
 * (lib/registry/entries.ts servableId; repeated here because lib/db sits below the registry).
 */
function servableOf(modelId: string, version: string | null): string {
  return version === null ? modelId : `${modelId}@${version}`;
}

/**
 * THE query for "latest figures per model": the newest figure per (servable, metric, concurrency) measured on one
 * host (never another host's: other machines' latencies would mislead), newest first. See lib/db/latest-figures.ts.
 * `modelIds` filters by model (all of an uploaded model's versions); each row's `modelId` is its servable id, so
 * versions never mix, and `model` / `version` say what it is.
 */
export async function latestFigures(hostFingerprint: string, modelIds?: readonly string[]) {
  const rows = await db().modelBenchmark.findMany({
    where: { hostFingerprint, ...(modelIds ? { modelId: { in: [...modelIds] } } : {}) },
    orderBy: { measuredAt: "desc" },
    take: LATEST_SCAN,
    select: { modelId: true, version: true, runId: true, metric: true, value: true, unit: true, conditions: true, measuredAt: true, hostFingerprint: true },
  });
  return keepLatest(rows.map(({ modelId, ...r }) => ({ ...r, model: modelId, modelId: servableOf(modelId, r.version) })));
}

export type LatestFigure = Awaited<ReturnType<typeof latestFigures>>[number];

export async function hasBenchmarksForHost(hostFingerprint: string): Promise<boolean> {
  return (await db().modelBenchmark.count({ where: { hostFingerprint } })) > 0;
}

/** Hosts other than this one that have figures (shown, never mixed in), newest first. */
export async function otherBenchmarkHosts(hostFingerprint: string) {
  // GROUP BY in SQL (Prisma's `distinct` would dedupe every row in memory).
  const groups = await db().modelBenchmark.groupBy({
    by: ["hostFingerprint"],
    where: { hostFingerprint: { not: hostFingerprint } },
    _max: { measuredAt: true },
    orderBy: { _max: { measuredAt: "desc" } },
    take: 20,
  });
  return Promise.all(
    groups.map(async (g) => {
      const row = await db().modelBenchmark.findFirst({ where: { hostFingerprint: g.hostFingerprint }, orderBy: { measuredAt: "desc" }, select: { host: true } });
      return { hostFingerprint: g.hostFingerprint, host: row?.host ?? null, measuredAt: g._max.measuredAt ?? new Date(0) };
    }),
  );
}

export function createBenchmarkRun(startedById: string | null, progress: object) {
  return db().benchmarkRun.create({ data: { status: "running", startedById, progress: json(progress) } });
}

/** The PostgreSQL advisory lock that serialises starting a benchmark run across instances. */
const RUN_START_LOCK = 727276;

export type RunClaim =
  | { started: true; run: Awaited<ReturnType<typeof createBenchmarkRun>> }
  | { started: false; reason: "running"; runId: string }
  | { started: false; reason: "figures" }
  | { started: false; reason: "measured" };

/**
 * Creates a "running" run row unless a run is unfinished — and, for the first-start run (`unlessFiguresFor`), unless
 * that host has figures — as one decision other instances wait for: the check and the insert happen under a
 * PostgreSQL advisory lock held to the end of the transaction, so two instances starting together can't both see
 * "nothing running" and both start. `whileMeasuring`: only while that uploaded version is still `measuring` (the
 * measurement that ran sets its status before closing its run, so a waiting instance never repeats it). On SQLite a no-op write opens the transaction, taking the database's write
 * lock before the check (another process waits for it, up to the busy timeout).
 */
export function claimBenchmarkRun(
  startedById: string | null,
  progress: object,
  opts: { unlessFiguresFor?: string; whileMeasuring?: { modelId: string; version: string } } = {},
): Promise<RunClaim> {
  return db().$transaction(async (tx): Promise<RunClaim> => {
    if (isPostgres()) await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${RUN_START_LOCK})`);
    else await tx.$executeRawUnsafe(`UPDATE "BenchmarkRun" SET "status" = "status" WHERE 1 = 0`);
    const running = await tx.benchmarkRun.findFirst({ where: { status: { in: ["running", "cancelling"] } }, orderBy: { startedAt: "desc" }, select: { id: true } });
    if (running) return { started: false, reason: "running", runId: running.id };
    if (opts.unlessFiguresFor && (await tx.modelBenchmark.count({ where: { hostFingerprint: opts.unlessFiguresFor } })) > 0) return { started: false, reason: "figures" };
    // A measurement of an uploaded version: not when another instance measured it meanwhile (or it was removed).
    if (opts.whileMeasuring) {
      const v = await tx.modelVersion.findUnique({ where: { modelId_version: opts.whileMeasuring }, select: { status: true } });
      if (v?.status !== "measuring") return { started: false, reason: "measured" };
    }
    const run = await tx.benchmarkRun.create({ data: { status: "running", startedById, progress: json(progress) } });
    return { started: true, run };
  });
}

export function updateBenchmarkRun(id: string, data: { status?: string; progress?: object; error?: string | null; finishedAt?: Date }) {
  return db().benchmarkRun.update({
    where: { id },
    data: { ...data, progress: data.progress ? json(data.progress) : undefined },
  });
}

/** Writes progress only, never the status: a progress write can't undo a cancel request made meanwhile. */
export function saveBenchmarkProgress(id: string, progress: object) {
  return db().benchmarkRun.updateMany({ where: { id }, data: { progress: json(progress) } });
}

export function getBenchmarkRun(id: string) {
  return db().benchmarkRun.findUnique({ where: { id } });
}

export function latestBenchmarkRun() {
  return db().benchmarkRun.findFirst({ orderBy: { startedAt: "desc" } });
}

export function unfinishedBenchmarkRuns() {
  return db().benchmarkRun.findMany({ where: { status: { in: ["running", "cancelling"] } }, orderBy: { startedAt: "desc" } });
}

/** Flags a running run for cancellation; its runner stops at the next step. Returns false when it had finished. */
export async function requestBenchmarkCancel(id: string): Promise<boolean> {
  const r = await db().benchmarkRun.updateMany({ where: { id, status: "running" }, data: { status: "cancelling" } });
  return r.count > 0;
}

export async function isBenchmarkCancelRequested(id: string): Promise<boolean> {
  const r = await db().benchmarkRun.findUnique({ where: { id }, select: { status: true } });
  return r?.status === "cancelling";
}
