import "server-only";
import { db, type Prisma } from "./client";

/**
 * Training runs (lib/training/runs.ts). A run is finished by one conditional write (`WHERE status IN (queued,
 * running)`), so a cancel, the owner's own finish and another instance's sweep of a dead owner cannot overwrite each
 * other: whichever lands first decides, the others see it finished.
 */

/** Plain data (no classes, no undefined) as a JSON column value. */
function json(v: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;
}

export const UNFINISHED_STATUSES = ["queued", "running"] as const;

export interface NewTrainingRun {
  modelId: string;
  name: string | null;
  description: string | null;
  task: string;
  status: "queued" | "running";
  options: object;
  datasetSha256: string;
  datasetName: string | null;
  dataset: object;
  progress: object;
  instanceId: string;
  host: string;
  pid: number;
  createdById: string | null;
  createdByEmail: string | null;
  startedAt: Date | null;
}

export function insertTrainingRun(r: NewTrainingRun) {
  return db().trainingRun.create({
    data: { ...r, options: json(r.options), dataset: json(r.dataset), progress: json(r.progress), curve: [], candidates: [], heartbeatAt: new Date() },
  });
}

export type TrainingRunRow = Awaited<ReturnType<typeof insertTrainingRun>>;

export function getTrainingRun(id: string) {
  return db().trainingRun.findUnique({ where: { id } });
}

/** Newest first. */
export function listTrainingRuns(limit: number) {
  return db().trainingRun.findMany({ orderBy: { createdAt: "desc" }, take: limit });
}

export function unfinishedTrainingRuns() {
  return db().trainingRun.findMany({ where: { status: { in: [...UNFINISHED_STATUSES] } }, orderBy: { createdAt: "asc" } });
}

/** How many runs have named this model: numbers the versions a run registers. */
export function countTrainingRunsFor(modelId: string) {
  return db().trainingRun.count({ where: { modelId } });
}

/** Progress, curve and heartbeat of an unfinished run; never the status (a write racing a cancel cannot undo it). */
export async function saveTrainingProgress(id: string, p: { progress?: object; curve?: object; heartbeatAt: Date }): Promise<{ cancelRequested: boolean } | null> {
  const r = await db().trainingRun.updateMany({
    where: { id, status: { in: [...UNFINISHED_STATUSES] } },
    data: { heartbeatAt: p.heartbeatAt, ...(p.progress ? { progress: json(p.progress) } : {}), ...(p.curve ? { curve: json(p.curve) } : {}) },
  });
  if (!r.count) return null;
  const row = await db().trainingRun.findUnique({ where: { id }, select: { cancelRequested: true } });
  return row ? { cancelRequested: row.cancelRequested } : null;
}

export interface TrainingRunEnd {
  status: "succeeded" | "failed" | "cancelled";
  progress?: object;
  curve?: object;
  candidates?: object;
  best?: string | null;
  error?: { code: string; message: string; i18n?: object } | null;
}

/** Finishes a run that is still unfinished. Returns whether this call finished it. */
export async function finishTrainingRun(id: string, end: TrainingRunEnd): Promise<boolean> {
  const r = await db().trainingRun.updateMany({
    where: { id, status: { in: [...UNFINISHED_STATUSES] } },
    data: {
      status: end.status,
      finishedAt: new Date(),
      heartbeatAt: new Date(),
      ...(end.progress ? { progress: json(end.progress) } : {}),
      ...(end.curve ? { curve: json(end.curve) } : {}),
      ...(end.candidates ? { candidates: json(end.candidates) } : {}),
      ...(end.best !== undefined ? { best: end.best } : {}),
      ...(end.error ? { errorCode: end.error.code, errorMessage: end.error.message, errorI18n: end.error.i18n ? json(end.error.i18n) : undefined } : {}),
    },
  });
  return r.count > 0;
}

/** Asks the process running it to stop (it reads the flag with its heartbeat). Returns false when it had finished. */
export async function requestTrainingCancel(id: string): Promise<boolean> {
  const r = await db().trainingRun.updateMany({ where: { id, status: { in: [...UNFINISHED_STATUSES] } }, data: { cancelRequested: true } });
  return r.count > 0;
}
