import "server-only";
/**
 * Training runs: an administrator's dataset trained into text-classifier candidates, registered as versions of one
 * model. At most one run per process (a second start is 409 `training_busy`), on a worker thread below the
 * inference workers' priority, so serving keeps its cores. The dataset is read in that thread too, before any row
 * exists: a dataset no classifier can learn from is refused (4xx) and leaves nothing behind. Progress and the loss
 * curve are written at most twice a second, a heartbeat every second; a cancel lands within a second; a process
 * that stops (SIGTERM, kill -9, a crash) leaves its run to be marked failed `interrupted` — by its own shutdown, or
 * by the next process to sweep (lib/training/owner.ts says when a run is orphaned).
 */
import crypto from "node:crypto";
import { env } from "@/lib/config/env";
import { writeAudit } from "@/lib/db/audit";
import {
  countTrainingRunsFor,
  finishTrainingRun,
  getTrainingRun,
  insertTrainingRun,
  listTrainingRuns,
  requestTrainingCancel,
  saveTrainingProgress,
  unfinishedTrainingRuns,
  type TrainingRunEnd,
  type TrainingRunRow,
} from "@/lib/db/training-runs";
import { log } from "@/lib/log";
import { instanceId } from "@/lib/metering/instance";
import { ServiceError } from "@/lib/models/errors";
import { scheduleMeasurement } from "@/lib/registry/measure";
import { registryRows } from "@/lib/registry/servables";
import type { Actor } from "@/lib/registry/upload";
import type { DatasetReport } from "./dataset";
import { curveOf, TrainingJob, TRAINING_SHARE, type JobOutcome } from "./job";
import { say } from "./messages";
import { hostName, orphanReason, type Owner } from "./owner";
import { registerCandidates } from "./register";
import type { Objective } from "./train";
import { runView, type RunError, type RunView } from "./view";

export const TRAINING_TASK = "text-classification";

export interface RunRequest {
  modelId: string;
  name?: string;
  description?: string;
  budgetS: number;
  objective: Objective;
  seed: number;
}

export interface DatasetUpload {
  bytes: Buffer;
  filename?: string;
}

interface Local {
  job: TrainingJob;
  /** Resolves once the run's row is final and the slot is free. */
  done: Promise<void>;
}

/** Process-wide (every Next.js layer's copy of this module sees the same run): the run this process is training. */
const g = globalThis as unknown as { __paretoTraining?: Local | "starting"; __paretoTrainingSweep?: NodeJS.Timeout };

const FLUSH_MS = 500;
const HEARTBEAT_MS = 1_000;
const SWEEP_MS = 10_000;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function me(): Owner {
  return { instanceId: instanceId(), host: hostName(), pid: process.pid };
}

function localRunIds(): Set<string> {
  const l = g.__paretoTraining;
  return new Set(l && l !== "starting" && l.job.runId ? [l.job.runId] : []);
}

/** The run this process is training, if any. */
function local(id?: string): Local | null {
  const l = g.__paretoTraining;
  if (!l || l === "starting") return null;
  return id === undefined || l.job.runId === id ? l : null;
}

/** Live traffic of the run's versions, for its candidates. */
async function trafficOf(rows: TrainingRunRow[]): Promise<Map<string, Map<string, number>>> {
  const models = new Set(rows.filter((r) => Array.isArray(r.candidates) && r.candidates.length).map((r) => r.modelId));
  const out = new Map<string, Map<string, number>>();
  if (!models.size) return out;
  for (const m of await registryRows()) if (models.has(m.id)) out.set(m.id, new Map(m.versions.map((v) => [v.version, v.trafficPercent])));
  return out;
}

async function view(row: TrainingRunRow): Promise<RunView> {
  return runView(row, (await trafficOf([row])).get(row.modelId));
}

export async function getRun(id: string): Promise<RunView> {
  const row = await getTrainingRun(id);
  if (!row) throw new ServiceError("not_found", `No training run "${id}".`, { param: "id" });
  return view(row);
}

/** Newest first. */
export async function listRuns(limit = 100): Promise<RunView[]> {
  const rows = await listTrainingRuns(limit);
  const traffic = await trafficOf(rows);
  return rows.map((r) => runView(r, traffic.get(r.modelId)));
}

/** The dataset's report and, when no classifier can be trained on it, why — read off the main thread, nothing stored. */
export async function previewDataset(upload: DatasetUpload): Promise<{ report: DatasetReport; refusal: RunError | null }> {
  const job = new TrainingJob({ mode: "preview", ...upload, options: { budgetS: 0, objective: "balanced", seed: 0 } }, env.trainingNice());
  try {
    const { report, refusal } = await job.parsed;
    return { report, refusal: refusal ? { code: refusal.code, message: refusal.message, i18n: refusal.i18n } : null };
  } finally {
    await job.kill();
  }
}

function busy(): ServiceError {
  const l = local();
  return new ServiceError("training_busy", `This instance is already training${l?.job.runId ? ` (run ${l.job.runId})` : ""}: one run at a time, so serving keeps its cores. Wait for it or cancel it.`, { retryAfterS: 30 });
}

/** A model id a run may train into: new, or a text model trained or uploaded before. */
async function checkTarget(modelId: string): Promise<void> {
  const row = (await registryRows()).find((r) => r.id === modelId);
  if (!row) return;
  if (row.builtIn) throw new ServiceError("model_in_use", `${modelId} is built in; train under a new id.`, { param: "id" });
  if (row.task !== "text") throw new ServiceError("conflict", `Model ${modelId} exists and is a ${row.task} model; train under a new id (or a text model's id to add versions to it).`, { param: "id" });
}

/**
 * Starts a run: reads the dataset in the training thread (refusals are DatasetErrors, 4xx), writes the run row and
 * returns it while the thread trains on. `measure`: the server measures each registered version (the CLI leaves it to
 * a running server, as `model:add` does).
 */
export async function startTrainingRun(actor: Actor, req: RunRequest, upload: DatasetUpload, opts: { measure: boolean }): Promise<RunView> {
  if (g.__paretoTraining) throw busy();
  g.__paretoTraining = "starting";
  let job: TrainingJob | null = null;
  try {
    await checkTarget(req.modelId);
    job = new TrainingJob({ mode: "train", ...upload, options: { budgetS: req.budgetS, objective: req.objective, seed: req.seed } }, env.trainingNice());
    const { report, refusal } = await job.parsed;
    if (refusal) throw refusal;
    job.setPhase({ phase: "features", fraction: 0 });
    const row = await insertTrainingRun({
      modelId: req.modelId,
      name: req.name?.trim() || null,
      description: req.description?.trim() || null,
      task: TRAINING_TASK,
      status: "running",
      options: { budgetS: req.budgetS, objective: req.objective, seed: req.seed },
      datasetSha256: crypto.createHash("sha256").update(upload.bytes).digest("hex"),
      datasetName: upload.filename ?? null,
      dataset: report,
      progress: job.progress,
      ...me(),
      createdById: actor.id,
      createdByEmail: actor.email,
      startedAt: new Date(),
    });
    job.runId = row.id;
    const l: Local = { job, done: Promise.resolve() };
    l.done = follow(l, actor, req, row, opts);
    g.__paretoTraining = l;
    log("info", "training run started", { run: row.id, model: req.modelId, rows: report.rows, labels: report.labels.length, badRows: report.badRowCount, budgetS: req.budgetS, tid: job.thread?.tid ?? null, niced: job.thread?.niced ?? false, nice: env.trainingNice() });
    await writeAudit({ actorId: actor.id, actorEmail: actor.email, action: "training.start", targetType: "training_run", targetId: row.id, details: { model: req.modelId, rows: report.rows, labels: report.labels.length, budgetS: req.budgetS, objective: req.objective } }).catch(() => undefined);
    return view(row);
  } catch (e) {
    await job?.kill();
    if (g.__paretoTraining === "starting") g.__paretoTraining = undefined;
    throw e;
  }
}

/** Writes progress (when it changed) and the heartbeat; a cancel asked through the database (another instance) is read back here. */
function startFlushing(job: TrainingJob, runId: string): () => Promise<void> {
  let lastWrite = 0;
  let writing: Promise<void> = Promise.resolve();
  const tick = () => {
    const now = Date.now();
    if (!job.dirty && now - lastWrite < HEARTBEAT_MS) return;
    const dirty = job.dirty;
    job.dirty = false;
    lastWrite = now;
    writing = saveTrainingProgress(runId, { heartbeatAt: new Date(now), ...(dirty ? { progress: job.progress, curve: job.curve } : {}) })
      .then((r) => {
        if (r?.cancelRequested && !job.cancelRequested && job.progress.phase !== "registering") void job.cancel();
      })
      .catch((e: unknown) => {
        job.dirty ||= dirty;
        log("warn", "training progress not written", { run: runId, error: message(e) });
      });
  };
  const timer = setInterval(() => {
    void writing.then(tick);
  }, FLUSH_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await writing;
  };
}

/** The rest of a run, in the background: its outcome, registration, the final row. Never throws. */
async function follow(l: Local, actor: Actor, req: RunRequest, row: TrainingRunRow, opts: { measure: boolean }): Promise<void> {
  const { job } = l;
  const stopFlushing = startFlushing(job, row.id);
  let end: TrainingRunEnd;
  try {
    const outcome = await job.outcome;
    // The thread is gone before the slot frees: the next run never shares the cores with this one.
    await job.exited;
    end = await settle(job, outcome, actor, req, row, opts);
  } catch (e) {
    end = { status: "failed", error: { code: "internal_error", ...say("run.failed", { detail: message(e) }) } };
  }
  await stopFlushing();
  try {
    const finished = await finishTrainingRun(row.id, { ...end, curve: end.curve ?? job.curve });
    log(end.status === "failed" ? "warn" : "info", "training run finished", { run: row.id, status: finished ? end.status : "finished elsewhere", ...(end.error ? { error: end.error.message } : {}) });
  } catch (e) {
    // The database is away: the row stays `running` until a sweep (here or elsewhere) finds its heartbeat stale.
    log("error", "training run not recorded as finished", { run: row.id, status: end.status, error: message(e) });
  } finally {
    if (g.__paretoTraining === l) g.__paretoTraining = undefined;
  }
}

async function settle(job: TrainingJob, outcome: JobOutcome, actor: Actor, req: RunRequest, row: TrainingRunRow, opts: { measure: boolean }): Promise<TrainingRunEnd> {
  if (job.interrupted) return { status: "failed", progress: job.progress, error: { code: "interrupted", ...say("run.interrupted") } };
  if (outcome.kind === "cancelled") return { status: "cancelled", progress: job.progress };
  if (outcome.kind === "failed") {
    const e = outcome.error;
    const error = e.code === "worker_crashed" || e.code === "dataset_invalid" ? e : { code: "training_failed", ...say("run.failed", { detail: e.message }) };
    return { status: "failed", progress: job.progress, error };
  }
  const curve = curveOf(outcome.result);
  job.setPhase({ phase: "registering", fraction: TRAINING_SHARE });
  try {
    const registered = await registerCandidates(actor, { modelId: req.modelId, name: row.name, description: row.description, runNumber: await countTrainingRunsFor(req.modelId) }, outcome.result);
    if (opts.measure) for (const c of registered.candidates) scheduleMeasurement(req.modelId, c.version);
    return { status: "succeeded", progress: { phase: "done", fraction: 1 }, curve, candidates: registered.candidates, best: registered.best };
  } catch (e) {
    return { status: "failed", progress: job.progress, curve, error: { code: "registration_failed", ...say("run.registration", { detail: message(e) }) } };
  }
}

/**
 * Cancels an unfinished run: this process's at once (its row is final when this returns); another live process's
 * through the database flag its heartbeat reads (waited for, briefly); a dead owner's is swept as interrupted.
 * A finished run, or one already registering its candidates, is a 409.
 */
export async function cancelTrainingRun(actor: Actor, id: string): Promise<RunView> {
  const row = await getTrainingRun(id);
  if (!row) throw new ServiceError("not_found", `No training run "${id}".`, { param: "id" });
  const finishedAs = (status: string) => new ServiceError("conflict", `Run ${id} has already ${status === "succeeded" ? "succeeded" : status === "cancelled" ? "been cancelled" : "failed"}.`, { param: "id" });
  if (row.status !== "queued" && row.status !== "running") throw finishedAs(row.status);
  const l = local(id);
  if (l) {
    if (l.job.progress.phase === "registering") throw new ServiceError("conflict", `Run ${id} has finished training and is registering its models; it can no longer be cancelled.`, { param: "id" });
    await l.job.cancel();
    await l.done;
  } else {
    await sweepOrphanedRuns();
    // Another live process owns it: it reads the flag with its next heartbeat (every second).
    if (await requestTrainingCancel(id)) {
      for (let i = 0; i < 30; i++) {
        const r = await getTrainingRun(id);
        if (!r || (r.status !== "queued" && r.status !== "running")) break;
        await new Promise((res) => setTimeout(res, 100));
      }
    }
  }
  const after = await getTrainingRun(id);
  if (!after) throw new ServiceError("not_found", `No training run "${id}".`, { param: "id" });
  // It finished (or its dead owner was swept) before the cancel could land.
  if (after.status !== "cancelled" && after.status !== "queued" && after.status !== "running") throw finishedAs(after.status);
  await writeAudit({ actorId: actor.id, actorEmail: actor.email, action: "training.cancel", targetType: "training_run", targetId: id, details: { model: row.modelId, status: after.status } }).catch(() => undefined);
  return view(after);
}

/** Resolves with the run once this process has finished it (the CLI waits on this); at once for any other run. */
export async function waitForRun(id: string, onProgress?: (v: { phase: string; fraction: number; candidate?: string }) => void): Promise<RunView> {
  const l = local(id);
  if (l) {
    const off = onProgress ? l.job.onChange(() => onProgress(l.job.progress)) : undefined;
    try {
      await l.done;
    } finally {
      off?.();
    }
  }
  return getRun(id);
}

/** Marks the runs whose owner is gone as failed `interrupted`. Returns how many. */
export async function sweepOrphanedRuns(): Promise<number> {
  const self = me();
  const mine = localRunIds();
  let n = 0;
  for (const r of await unfinishedTrainingRuns()) {
    const why = orphanReason(r, self, mine, Date.now());
    if (!why) continue;
    const said = say("run.interrupted");
    if (await finishTrainingRun(r.id, { status: "failed", error: { code: "interrupted", ...said } })) {
      n++;
      log("warn", "training run interrupted: its process stopped", { run: r.id, model: r.modelId, why });
    }
  }
  return n;
}

/** At boot, then every SWEEP_MS: runs of processes that died are closed. */
export function startTrainingSweep(): void {
  if (g.__paretoTrainingSweep) return;
  const run = () => void sweepOrphanedRuns().catch((e: unknown) => log("warn", "training sweep failed", { error: message(e) }));
  run();
  g.__paretoTrainingSweep = setInterval(run, SWEEP_MS);
  g.__paretoTrainingSweep.unref();
}

/** Shutdown: this process's run stops now and is recorded as interrupted (not left for a sweep). */
export async function stopLocalTraining(): Promise<void> {
  if (g.__paretoTrainingSweep) clearInterval(g.__paretoTrainingSweep);
  const l = local();
  if (!l) return;
  l.job.interrupted = true;
  await l.job.kill();
  await l.done;
}
