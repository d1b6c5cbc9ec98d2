import "server-only";
/**
 * Benchmark runs inside the server: at most one at a time per deployment — decided in the database, so instances
 * starting or asked at the same moment agree (a run found "running" without a recent heartbeat belongs to a process
 * that died and is closed as failed), progress and rows written to the database
 * as the run goes, cancellation both in-process (aborts requests in flight) and through the database flag (so the
 * admin UI can also stop a CLI run, between steps). Also the first-start quick run.
 */
import { env } from "@/lib/config/env";
import {
  claimBenchmarkRun,
  getBenchmarkRun,
  hasBenchmarksForHost,
  insertBenchmarkRows,
  isBenchmarkCancelRequested,
  latestBenchmarkRun,
  requestBenchmarkCancel,
  saveBenchmarkProgress,
  unfinishedBenchmarkRuns,
  updateBenchmarkRun,
} from "@/lib/db/benchmarks";
import { findVersion } from "@/lib/db/model-registry";
import { log } from "@/lib/log";
import { CATALOG, type CatalogEntry } from "@/lib/models/catalog";
import { isDomainError, ServiceError } from "@/lib/models/errors";
import { getRuntime } from "@/lib/runtime";
import { ensureLocal } from "@/lib/registry/blob-store";
import { uploadedEntries } from "@/lib/registry/entries";
import { registryRows } from "@/lib/registry/servables";
import { currentHost } from "./host";
import { STEPS, type BenchMode, type RunProgress } from "./plan";
import { runBenchmark, type BenchRuntime, type RunOutcome } from "./runner";
import { invalidateTable } from "./service";
import type { TensorEvalSource } from "./tensor-eval";

interface Job {
  runId: string;
  controller: AbortController;
  done: Promise<RunOutcome>;
}

const g = globalThis as unknown as { __paretoBenchJob?: Job; __paretoBenchStarting?: boolean };
/** A run whose heartbeat is older than this was interrupted (its process stopped). */
const STALE_MS = 120_000;

/** A benchmark run as stored: status, progress per model and step (a RunProgress), who started it and when. */
export type BenchmarkRun = NonNullable<Awaited<ReturnType<typeof getBenchmarkRun>>>;

/** The id of a run going on somewhere, if any. Closes runs that stopped sending heartbeats on the way. */
export async function activeRunId(): Promise<string | null> {
  for (const r of await unfinishedBenchmarkRuns()) {
    if (g.__paretoBenchJob?.runId === r.id) return r.id;
    const beat = Date.parse((r.progress as { heartbeatAt?: string } | null)?.heartbeatAt ?? "") || r.startedAt.getTime();
    if (Date.now() - beat <= STALE_MS) return r.id;
    await updateBenchmarkRun(r.id, { status: "failed", error: "interrupted: the process running it stopped", finishedAt: new Date() });
  }
  return null;
}

export interface StartOptions {
  mode: BenchMode;
  models?: readonly string[];
  userId: string | null;
  runtime?: BenchRuntime;
  /** The measurement of an uploaded version: started only while it is still `measuring` (startMeasurementRun). */
  measuring?: { modelId: string; version: string };
  /** Runs with the outcome before the run is recorded as finished (a measurement settles its version here). */
  beforeClose?: (outcome: RunOutcome, runId: string) => Promise<void>;
}

type Started = { run: BenchmarkRun; done: Promise<RunOutcome> };

const stillGoing = (id: string) => new ServiceError("benchmark_running", `Benchmark run ${id} is still going; wait for it or cancel it.`);

/** Starts a run in the background; resolves once its row exists (with the promise of its outcome). */
export async function startBenchmark(o: StartOptions): Promise<Started> {
  return (await start(o, false))!;
}

/** As startBenchmark, for `o.measuring`'s version: null when it is no longer `measuring` (measured elsewhere). */
export async function startMeasurementRun(o: StartOptions & { measuring: { modelId: string; version: string } }): Promise<Started | null> {
  return start(o, false);
}

/** `firstStart`: only when this host has no figures yet (resolves null when it has). */
async function start(o: StartOptions, firstStart: boolean): Promise<Started | null> {
  // The runtime learns the uploaded servables from the registry: ids resolve through it, built-ins and uploads alike.
  const rows = await registryRows();
  const rt = o.runtime ?? getRuntime();
  const models = o.models ? [...new Set(o.models)] : [...CATALOG, ...uploadedEntries(rows)].map((e) => e.id);
  const unknown = models.find((id) => !rt.entry(id));
  if (unknown) throw new ServiceError("model_not_found", `No model "${unknown}". GET /api/v1/models lists them.`, { param: "models" });
  // Claimed synchronously, so two requests in this process don't both go to the database; across processes the
  // database decides (claimBenchmarkRun).
  if (g.__paretoBenchJob || g.__paretoBenchStarting) throw new ServiceError("benchmark_running", "A benchmark run is still going; wait for it or cancel it.");
  g.__paretoBenchStarting = true;
  try {
    // Closes runs whose process died, so they don't block the claim.
    const running = await activeRunId();
    if (running) throw stillGoing(running);
    return await launch({ ...o, runtime: rt }, models.map((id) => rt.entry(id)!), firstStart);
  } finally {
    g.__paretoBenchStarting = false;
  }
}

/**
 * Brings uploaded servables' files to this instance (the static step reads them before the load would) and finds
 * the labelled eval files of uploaded tensor servables (ModelVersion.evalSha256, stored like a model file under its
 * hash; read fresh from the database: a version's metric and file are fixed at upload).
 */
async function prepareUploads(entries: readonly CatalogEntry[]): Promise<Map<string, TensorEvalSource>> {
  const out = new Map<string, TensorEvalSource>();
  for (const e of entries) {
    if (e.builtIn) continue;
    await Promise.all(e.files.flatMap((f) => (f.sha256 ? [ensureLocal(f.sha256)] : [])));
    if (e.task !== "tensor" && e.task !== "text") continue;
    const v = await findVersion(e.modelId, e.version);
    // A text model's eval file is JSONL of {text, label}, scored by accuracy and macro-F1 whatever the row says.
    if (!v?.evalSha256 || (v.evalMetric !== "accuracy" && v.evalMetric !== "mae")) continue;
    out.set(e.id, { path: await ensureLocal(v.evalSha256), sha256: v.evalSha256, metric: v.evalMetric });
  }
  return out;
}

async function launch(o: StartOptions & { runtime: BenchRuntime }, entries: CatalogEntry[], firstStart: boolean): Promise<Started | null> {
  const host = currentHost();
  const models = entries.map((e) => e.id);
  const tensorEval = await prepareUploads(entries);
  const progress: RunProgress = {
    mode: o.mode,
    hostFingerprint: host.fingerprint,
    models: entries.map((e) => ({ id: e.id, task: e.task, steps: STEPS.map((name) => ({ name, status: "pending" as const })) })),
    current: null,
    heartbeatAt: new Date().toISOString(),
  };
  const claim = await claimBenchmarkRun(o.userId, progress, { ...(firstStart ? { unlessFiguresFor: host.fingerprint } : {}), ...(o.measuring ? { whileMeasuring: o.measuring } : {}) });
  if (!claim.started) {
    if (claim.reason === "running") throw stillGoing(claim.runId);
    return null;
  }
  const row = claim.run;
  const controller = new AbortController();
  const done = runBenchmark({
    runtime: o.runtime,
    models,
    tensorEval,
    mode: o.mode,
    hostFingerprint: host.fingerprint,
    where: "server",
    signal: controller.signal,
    shouldCancel: () => isBenchmarkCancelRequested(row.id),
    sink: {
      rows: async (rows) => {
        await insertBenchmarkRows(row.id, host, rows);
        invalidateTable();
      },
      progress: async (p) => {
        await saveBenchmarkProgress(row.id, p);
      },
    },
  })
    .catch((e: unknown): RunOutcome => ({ status: "failed", errors: [e instanceof Error ? e.message : String(e)], progress }))
    .then(async (outcome) => {
      await o.beforeClose?.(outcome, row.id).catch((e: unknown) => log("error", "benchmark run: the closing step failed", { runId: row.id, error: e instanceof Error ? e.message : String(e) }));
      await updateBenchmarkRun(row.id, { status: outcome.status, error: outcome.errors.join("; ") || null, finishedAt: new Date(), progress: outcome.progress }).catch((e: unknown) =>
        log("error", "benchmark run: could not record the outcome", { runId: row.id, error: e instanceof Error ? e.message : String(e) }),
      );
      log("info", "benchmark run finished", { runId: row.id, status: outcome.status, mode: o.mode, models: models.length, errors: outcome.errors.length });
      return outcome;
    })
    .finally(() => {
      if (g.__paretoBenchJob?.runId === row.id) g.__paretoBenchJob = undefined;
      invalidateTable();
    });
  g.__paretoBenchJob = { runId: row.id, controller, done };
  log("info", "benchmark run started", { runId: row.id, mode: o.mode, models });
  return { run: row, done };
}

export async function getRun(id: string): Promise<BenchmarkRun> {
  const r = await getBenchmarkRun(id);
  if (!r) throw new ServiceError("not_found", `No benchmark run "${id}".`, { param: "id" });
  return r;
}

export async function latestRun(): Promise<BenchmarkRun | null> {
  return latestBenchmarkRun();
}

/** Asks a run to stop: at once when this process runs it, else at its next step. */
export async function cancelBenchmark(id: string): Promise<BenchmarkRun> {
  const r = await getBenchmarkRun(id);
  if (!r) throw new ServiceError("not_found", `No benchmark run "${id}".`, { param: "id" });
  if (r.status !== "running" && r.status !== "cancelling") throw new ServiceError("conflict", `Benchmark run ${id} has already finished (${r.status}).`);
  await requestBenchmarkCancel(id);
  const job = g.__paretoBenchJob;
  if (job?.runId === id) job.controller.abort();
  return getRun(id);
}

/**
 * First start: with no figures for this host yet, measure every variant (quick mode) in the background, so
 * `model=auto` and the Selection page have real figures within a minute. PARETO_AUTO_BENCHMARK=0 turns it off.
 */
export function maybeStartAutoBenchmark(): void {
  if (!env.autoBenchmark()) return;
  const skipped = (reason: string) => log("info", "first-start benchmark skipped", { reason });
  void (async () => {
    // Cheap checks first; the decision itself is the claim in start(), which every instance waits its turn for.
    if (await hasBenchmarksForHost(currentHost().fingerprint)) return skipped("this host has benchmark figures");
    const running = await activeRunId();
    if (running) return skipped(`benchmark run ${running} is going on`);
    if (!(await start({ mode: "quick", userId: null }, true))) skipped("this host has benchmark figures");
  })().catch((e: unknown) => {
    if (isDomainError(e) && e.code === "benchmark_running") return skipped(e.message);
    log("warn", "first-start benchmark not started", { error: e instanceof Error ? e.message : String(e) });
  });
}

/** Shutdown: stops the run this process is doing, if any, and waits until its outcome is recorded. */
export async function stopLocalBenchmark(): Promise<void> {
  const job = g.__paretoBenchJob;
  if (!job) return;
  job.controller.abort();
  await job.done.catch(() => undefined);
}
