import "server-only";
import { env } from "@/lib/config/env";
import { findJob, finishJob, jobUnits, recordUnit, releaseLease, renewLease, setJobTotal, type JobRow } from "@/lib/db/jobs";
import { log } from "@/lib/log";
import type { QuotaLimit } from "@/lib/metering/quota";
import type { CatalogEntry } from "@/lib/models/catalog";
import { isDomainError } from "@/lib/models/errors";
import { getRuntime, type RunOptions } from "@/lib/runtime";
import { announceJob } from "./announce";
import { ensureLocalInput } from "./input-store";
import { openInput, type InputReader, type InputUnit } from "./inputs";
import { DEFAULT_DPI, ocrPipelineOptions, vadPipelineOptions, type JobOcrOptions, type JobVadOptions } from "./options";
import { assembleResult, ocrUnit, vadUnit, type UnitOutcome, type VadState } from "./units";
import { refusalMessage, reserveUnit, settleUnit } from "./unit-quota";
import { errorI18n, jobFailure, type JobError, type JobStop } from "./failure";
import { retentionEnd } from "./retention-policy";
import { recordJobUsage } from "./usage";

/** How long a claim lasts without a heartbeat: an instance that died has its jobs resumed by another after this. */
export const LEASE_MS = 10_000;
const HEARTBEAT_MS = 2_000;
/** A page at 200 dpi on a busy host, queued behind interactive work: generous, the job is in no hurry. */
const UNIT_TIMEOUT_MS = 10 * 60_000;
/** Transient runtime failures (a worker that died, a full queue) are retried this many times per unit. */
const UNIT_RETRIES = 3;
/** While the quota is only held by work in flight (not spent), a unit waits for it this long in all. */
const HELD_WAIT_MS = 60_000;

const RETRYABLE = new Set(["worker_crashed", "overloaded", "timeout", "model_unavailable"]);

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
  });

/**
 * Runs one claimed job from its cursor to the end: reads the input a unit at a time (lib/jobs/inputs, off the main
 * thread), reserves each unit's quota, runs it in the shared runtime at background priority, records it (fenced by
 * the claim's attempt) and settles what it cost. A heartbeat renews the lease and notices a cancel. The job ends
 * `succeeded`, `failed` (its error, with the results so far) or `cancelled`; a shutdown gives the lease back so
 * another instance (or this one after its restart) resumes from the last recorded unit.
 */
export async function executeJob(id: string, attempt: number, stopping: AbortSignal): Promise<void> {
  const row = await findJob(id);
  if (!row || row.attempt !== attempt || row.status !== "running") return;
  const stop = new AbortController();
  let why: JobStop | null = null;
  const halt = (reason: JobStop) => {
    why ??= reason;
    stop.abort();
  };
  const onStopping = () => halt("shutdown");
  if (stopping.aborted) return void (await releaseLease(id, attempt));
  stopping.addEventListener("abort", onStopping, { once: true });
  const beat = setInterval(() => {
    renewLease(id, attempt, LEASE_MS).then(
      (r) => (!r.held ? halt("lost") : r.cancelRequested ? halt("cancelled") : undefined),
      (e: unknown) => log("warn", "job heartbeat failed", { job: id, error: e instanceof Error ? e.message : String(e) }),
    );
  }, HEARTBEAT_MS);
  beat.unref();
  let reader: InputReader | null = null;
  try {
    const entry = getRuntime().entry(row.entryId);
    if (!entry) throw jobFailure("model_unavailable", `Model ${row.modelId}${row.modelVersion ? `@${row.modelVersion}` : ""} is no longer served here.`);
    const file = await ensureLocalInput(id, row.inputSha256);
    const opts = (row.options ?? {}) as JobOcrOptions & JobVadOptions;
    reader = await openInput(file, { from: row.cursor, dpi: opts.dpi ?? DEFAULT_DPI, maxPages: env.maxPdfPages(), nice: env.jobNice(), signal: stop.signal });
    if (row.total !== reader.info.total) await setJobTotal(id, attempt, reader.info.total);
    let state = (row.state ?? null) as VadState | null;
    for (;;) {
      if (stop.signal.aborted) break;
      const unit = await reader.next();
      if (!unit || stop.signal.aborted) break;
      const outcome = await runUnit(row, entry, unit, state, stop.signal);
      if (!outcome) break; // stopped while it ran
      const recorded = await recordUnit(id, attempt, { index: unit.index, result: outcome.result, units: outcome.units, computeMs: outcome.computeMs, state: outcome.state });
      await settleUnit(outcome.reservation, recorded ? outcome.computeMs : null);
      if (!recorded) {
        halt("lost");
        break;
      }
      state = outcome.state as VadState | null;
    }
    if (why === "lost") return;
    if (why === "shutdown") {
      await releaseLease(id, attempt);
      return;
    }
    await finish(row, attempt, why === "cancelled" ? { status: "cancelled", error: null } : { status: "succeeded", error: null });
  } catch (e) {
    if (why === "lost") return;
    if (why === "shutdown") return void (await releaseLease(id, attempt).catch(() => undefined));
    const error = toJobError(e);
    if (error.code === "internal_error") log("error", "job failed", { job: id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    await finish(row, attempt, { status: why === "cancelled" ? "cancelled" : "failed", error: why === "cancelled" ? null : error });
  } finally {
    clearInterval(beat);
    stopping.removeEventListener("abort", onStopping);
    await reader?.close().catch(() => undefined);
  }
}

/** Reserve → run (retrying what is transient) → the unit's outcome; null when the job was stopped meanwhile. */
async function runUnit(row: JobRow, entry: CatalogEntry, unit: InputUnit, state: VadState | null, signal: AbortSignal): Promise<(UnitOutcome & { reservation: Extract<Awaited<ReturnType<typeof reserveUnit>>, { ok: true }> }) | null> {
  const size = unit.kind === "page" ? { kind: "pixels" as const, units: unit.width * unit.height } : { kind: "audio_s" as const, units: unit.seconds };
  const quota = row.quota as unknown as QuotaLimit[];
  let waited = 0;
  for (;;) {
    const r = await reserveUnit(quota, `${entry.id}|pipeline`, size, `${row.id}:${unit.index}:${row.attempt}`);
    if (r.ok) {
      try {
        const outcome = await withRetries(() => runOnce(row, entry, unit, state, signal), signal);
        if (!outcome) {
          await settleUnit(r, null);
          return null;
        }
        return { ...outcome, reservation: r };
      } catch (e) {
        await settleUnit(r, null);
        throw e;
      }
    }
    if (!r.refusal.held || waited >= HELD_WAIT_MS) throw jobFailure("quota_exceeded", refusalMessage(r.refusal, row.unit === "page" ? unit.index : unit.index * 60, row.unit), { type: "quota_error" });
    const ms = Math.min(HELD_WAIT_MS - waited, Math.max(1000, r.refusal.retryAfterS * 1000));
    await sleep(ms, signal);
    waited += ms;
    if (signal.aborted) return null;
  }
}

async function withRetries(fn: () => Promise<UnitOutcome>, signal: AbortSignal): Promise<UnitOutcome | null> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (signal.aborted) return null;
      const code = isDomainError(e) ? e.code : null;
      if (code === null || !RETRYABLE.has(code) || i >= UNIT_RETRIES) throw e;
      await sleep(1000 * 2 ** i, signal);
    }
  }
}

function runOnce(row: JobRow, entry: CatalogEntry, unit: InputUnit, state: VadState | null, signal: AbortSignal): Promise<UnitOutcome> {
  const opts: RunOptions = { signal, timeoutMs: UNIT_TIMEOUT_MS, priority: "background" };
  const options = (row.options ?? {}) as JobOcrOptions & JobVadOptions;
  if (unit.kind === "page") return ocrUnit(getRuntime(), entry, unit, ocrPipelineOptions(options), opts);
  return vadUnit(getRuntime(), entry, unit, vadPipelineOptions(options), state, opts);
}

function toJobError(e: unknown): JobError {
  if (e instanceof Object && "jobError" in e) return (e as { jobError: JobError }).jobError;
  if (isDomainError(e)) {
    const type = e.kind === "input" ? "invalid_request_error" : "server_error";
    return { type, code: e.code, message: e.message, i18n: errorI18n(e.code) };
  }
  return { type: "server_error", code: "internal_error", message: "The job failed on the server; it has been logged.", i18n: errorI18n("internal_error") };
}

async function finish(row: JobRow, attempt: number, end: { status: "succeeded" | "failed" | "cancelled"; error: JobError | null }): Promise<void> {
  const units = await jobUnits(row.id);
  const result = units.length || end.status === "succeeded" ? assembleResult(row, units) : null;
  const total = end.status === "succeeded" ? units.reduce((s, u) => s + u.units, 0) : undefined;
  const ok = await finishJob(row.id, attempt, { status: end.status, result, total, error: end.error, expiresAt: retentionEnd() });
  if (!ok) return; // cancelled meanwhile (the cancel finished it) or taken over
  const finished = await findJob(row.id);
  if (!finished) return;
  recordJobUsage(finished);
  await announceJob(finished);
}
