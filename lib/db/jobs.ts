import "server-only";
import { db, isPostgres, type Prisma } from "./client";

/**
 * Jobs (lib/jobs): the queue is the Job table. A job is claimed by one instance under a lease (leaseOwner,
 * leaseUntil) that its runner renews; each claim bumps `attempt`, and every write a runner makes afterwards names the
 * attempt it holds, so a runner that lost its lease (paused past it, or its instance presumed dead) cannot record a
 * unit or finish the job over the one that took it over. A unit is recorded once: (jobId, index) is the key of
 * JobUnit, written in the same transaction that moves the job's cursor.
 */

function json(v: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;
}

export const JOB_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const UNFINISHED: JobStatus[] = ["queued", "running"];

export interface NewJob {
  id: string;
  userId: string;
  apiKeyId: string | null;
  source: "api" | "playground";
  task: "ocr" | "vad";
  entryId: string;
  modelId: string;
  modelVersion: string | null;
  requestedModel: string;
  selection: object | null;
  options: object;
  quota: object;
  unit: "page" | "audio_s";
  fileName: string | null;
  format: string;
  fileBytes: number;
  inputSha256: string;
  webhookUrl: string | null;
  metadata: object | null;
}

export function insertJob(j: NewJob) {
  return db().job.create({
    data: {
      ...j,
      status: "queued",
      selection: j.selection === null ? undefined : json(j.selection),
      options: json(j.options),
      quota: json(j.quota),
      metadata: j.metadata === null ? undefined : json(j.metadata),
    },
  });
}

export type JobRow = Awaited<ReturnType<typeof insertJob>>;

export function findJob(id: string) {
  return db().job.findUnique({ where: { id } });
}

export interface JobFilter {
  userId: string;
  status?: JobStatus;
  task?: "ocr" | "vad";
  /** Jobs created before this one (the cursor is a job id). */
  before?: { createdAt: Date; id: string };
  limit: number;
}

/**
 * Newest first, keyset-paginated on (createdAt, id). Without `result` and `state`: a list of 100 jobs of 200 pages
 * each would be hundreds of megabytes; a job's result is read from GET /api/v1/jobs/{id}.
 */
export async function listJobsOf(f: JobFilter): Promise<JobRow[]> {
  const rows = await db().job.findMany({
    omit: { result: true, state: true },
    where: {
      userId: f.userId,
      ...(f.status ? { status: f.status } : {}),
      ...(f.task ? { task: f.task } : {}),
      ...(f.before ? { OR: [{ createdAt: { lt: f.before.createdAt } }, { createdAt: f.before.createdAt, id: { lt: f.before.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: f.limit,
  });
  return rows.map((r) => ({ ...r, result: null, state: null }));
}

/** Prisma's SQLite DateTime text: ISO 8601 with milliseconds and "+00:00". */
function sqliteTime(d: Date): string {
  return `${d.toISOString().slice(0, -1)}+00:00`;
}

interface ClaimedRow {
  id: string;
  attempt: number;
}

/**
 * Takes the oldest job that is queued, or running under a lease that lapsed (its instance died), for `owner` until
 * `leaseMs` from now. PostgreSQL: `FOR UPDATE SKIP LOCKED`, so instances claiming at once each get a different job
 * and none waits on another's lock. SQLite has one writer: the single UPDATE … WHERE id = (SELECT …) is atomic.
 * Jobs asked to cancel while queued are not claimed (the cancel finishes them); a running job whose instance died
 * after a cancel was asked is claimed, and its new runner finishes it `cancelled` at once.
 */
export async function claimJob(owner: string, leaseMs: number): Promise<ClaimedRow | null> {
  const now = new Date();
  const until = new Date(now.getTime() + leaseMs);
  if (isPostgres()) {
    const rows = await db().$queryRaw<ClaimedRow[]>`
      UPDATE "Job" SET status = 'running', "leaseOwner" = ${owner}, "leaseUntil" = ${until}, attempt = attempt + 1,
        "startedAt" = COALESCE("startedAt", ${now})
      WHERE id = (
        SELECT id FROM "Job"
        WHERE (status = 'queued' AND "cancelRequested" = false) OR (status = 'running' AND "leaseUntil" < ${now})
        ORDER BY "createdAt" ASC, id ASC
        LIMIT 1
        FOR UPDATE SKIP LOCKED
      )
      RETURNING id, attempt`;
    return rows[0] ?? null;
  }
  // Timestamps as Prisma writes them on SQLite (text, compared as text).
  const [nowText, untilText] = [sqliteTime(now), sqliteTime(until)];
  const rows = await db().$queryRaw<ClaimedRow[]>`
    UPDATE "Job" SET status = 'running', "leaseOwner" = ${owner}, "leaseUntil" = ${untilText}, attempt = attempt + 1,
      "startedAt" = COALESCE("startedAt", ${nowText})
    WHERE id = (
      SELECT id FROM "Job"
      WHERE (status = 'queued' AND "cancelRequested" = 0) OR (status = 'running' AND "leaseUntil" < ${nowText})
      ORDER BY "createdAt" ASC, id ASC
      LIMIT 1
    )
    RETURNING id, attempt`;
  return rows[0] ?? null;
}

/** Extends the lease while the holder still has it; false when another attempt has taken the job (or it finished). */
export async function renewLease(id: string, attempt: number, leaseMs: number): Promise<{ held: boolean; cancelRequested: boolean }> {
  const r = await db().job.updateMany({ where: { id, attempt, status: "running" }, data: { leaseUntil: new Date(Date.now() + leaseMs) } });
  if (r.count === 0) return { held: false, cancelRequested: false };
  const row = await db().job.findUnique({ where: { id }, select: { cancelRequested: true } });
  return { held: true, cancelRequested: row?.cancelRequested ?? false };
}

export function setJobTotal(id: string, attempt: number, total: number) {
  return db().job.updateMany({ where: { id, attempt, status: "running" }, data: { total } });
}

export interface UnitRecord {
  index: number;
  result: object;
  units: number;
  computeMs: number;
  /** The job's carried state after this unit (VAD), or null. */
  state: object | null;
}

/**
 * Records a completed unit and moves the job's cursor past it, in one transaction, only while `attempt` still holds
 * the job and the cursor is where this unit expects it: false means the unit was not recorded (and must not be billed).
 */
export async function recordUnit(id: string, attempt: number, u: UnitRecord): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const moved = await tx.job.updateMany({
      where: { id, attempt, status: "running", cursor: u.index },
      data: { cursor: u.index + 1, done: { increment: u.units }, computeMs: { increment: u.computeMs }, state: u.state === null ? undefined : json(u.state) },
    });
    if (moved.count === 0) return false;
    await tx.jobUnit.create({ data: { jobId: id, index: u.index, result: json(u.result), units: u.units, computeMs: u.computeMs, attempt } });
    return true;
  });
}

export function jobUnits(id: string) {
  return db().jobUnit.findMany({ where: { jobId: id }, orderBy: { index: "asc" } });
}

export interface Finish {
  status: "succeeded" | "failed" | "cancelled";
  result: object | null;
  total?: number;
  error: { type: string; code: string; message: string; i18n?: object } | null;
  expiresAt: Date;
}

/** Finishes a job its runner holds (by attempt), or — `attempt` null — one that is not running (a queued job cancelled). */
export async function finishJob(id: string, attempt: number | null, f: Finish): Promise<boolean> {
  const where = attempt === null ? { id, status: "queued" } : { id, attempt, status: "running" };
  const r = await db().job.updateMany({
    where,
    data: {
      status: f.status,
      result: f.result === null ? undefined : json(f.result),
      ...(f.total !== undefined ? { total: f.total } : {}),
      errorType: f.error?.type ?? null,
      errorCode: f.error?.code ?? null,
      errorMessage: f.error?.message ?? null,
      errorI18n: f.error?.i18n ? json(f.error.i18n) : undefined,
      finishedAt: new Date(),
      expiresAt: f.expiresAt,
      leaseOwner: null,
      leaseUntil: null,
    },
  });
  return r.count > 0;
}

/** Marks a job to be cancelled; its runner sees it at its next heartbeat. Returns the job as it is now. */
export async function requestCancel(id: string) {
  await db().job.updateMany({ where: { id, status: { in: UNFINISHED } }, data: { cancelRequested: true } });
  return findJob(id);
}

/** Finished jobs whose retention has passed. */
export function expiredJobs(now: Date, limit: number) {
  return db().job.findMany({ where: { expiresAt: { lt: now } }, select: { id: true }, take: limit });
}

/** Deletes a job with its units and stored input. */
export async function deleteJob(id: string): Promise<void> {
  await db().$transaction([
    db().jobUnit.deleteMany({ where: { jobId: id } }),
    db().jobBlobChunk.deleteMany({ where: { jobId: id } }),
    db().webhookDelivery.deleteMany({ where: { jobId: id } }),
    db().job.deleteMany({ where: { id } }),
  ]);
}

/** How many of a user's jobs are queued or running (a cap on what one account may queue). */
export function countUnfinishedJobsOf(userId: string) {
  return db().job.count({ where: { userId, status: { in: UNFINISHED } } });
}

// ---- input bytes in the database (PostgreSQL: any instance may run or resume the job) ----

export async function appendInputChunk(jobId: string, index: number, data: Uint8Array): Promise<void> {
  await db().jobBlobChunk.create({ data: { jobId, index, data: new Uint8Array(data) } });
}

export function countInputChunks(jobId: string) {
  return db().jobBlobChunk.count({ where: { jobId } });
}

export async function readInputChunk(jobId: string, index: number): Promise<Uint8Array | null> {
  const row = await db().jobBlobChunk.findUnique({ where: { jobId_index: { jobId, index } }, select: { data: true } });
  return row ? new Uint8Array(row.data) : null;
}

export async function deleteInputChunks(jobId: string): Promise<void> {
  await db().jobBlobChunk.deleteMany({ where: { jobId } });
}

/** Gives a claim back at once (a shutdown): another instance — or this one after its restart — resumes the job. */
export async function releaseLease(id: string, attempt: number): Promise<void> {
  await db().job.updateMany({ where: { id, attempt, status: "running" }, data: { leaseUntil: new Date(Date.now() - 1), leaseOwner: null } });
}

/** Claims the job's end announcement (usage event, webhook) for one caller: true once, for whoever sets it first. */
export async function claimAnnouncement(id: string): Promise<boolean> {
  const r = await db().job.updateMany({ where: { id, announcedAt: null, status: { in: ["succeeded", "failed", "cancelled"] } }, data: { announcedAt: new Date() } });
  return r.count > 0;
}

/** Ended jobs whose announcement nobody made (their runner died between the finish and it), ended before `before`. */
export function unannouncedJobs(before: Date, limit: number) {
  return db().job.findMany({ where: { announcedAt: null, finishedAt: { lt: before }, status: { in: ["succeeded", "failed", "cancelled"] } }, select: { id: true }, take: limit });
}

/** Job ids among `ids` that still exist, with when they expire (the local-copy sweep). */
export function jobExpiries(ids: string[]) {
  return db().job.findMany({ where: { id: { in: ids } }, select: { id: true, expiresAt: true } });
}
