import "server-only";
/**
 * Uploaded versions are measured on arrival: a quick benchmark of the new servable through the selection runner
 * (the deployment's one benchmark run at a time, decided in the database — a run going on elsewhere is waited for,
 * then this one starts), after which the version is `ready` and joins the Selection page and `model=auto` with its
 * figures. The version serves while it is measured (`measuring` is a servable status); a failed measurement keeps it
 * servable and says why in `statusReason` (so does an admin cancelling it). A process that stops mid-measurement
 * leaves the version `measuring`: `resumeMeasurements` (at boot, and on registry changes) measures those again. The
 * version is settled before its run is closed, and a run for it is only claimed while it is `measuring`, so instances
 * waiting for the same version never measure it twice.
 */
import { isBenchmarkCancelRequested } from "@/lib/db/benchmarks";
import { findVersion, setVersionStatus, versionsInStatus } from "@/lib/db/model-registry";
import { log } from "@/lib/log";
import { isDomainError } from "@/lib/models/errors";
import { startMeasurementRun } from "@/lib/selection/jobs";
import type { RunOutcome } from "@/lib/selection/runner";
import { invalidateTable } from "@/lib/selection/service";
import { servableId } from "./entries";

/** How often a measurement waiting for another run asks again (the run's own heartbeat is 0.5 s). */
const WAIT_MS = 1_000;

const g = globalThis as unknown as { __paretoMeasuring?: Map<string, Promise<void>> };
const pending = (g.__paretoMeasuring ??= new Map());

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** Records how a measurement ended; called before its run is closed, so a waiting instance finds it settled. */
async function settle(modelId: string, version: string, outcome: Pick<RunOutcome, "status" | "errors">, adminCancelled: boolean): Promise<void> {
  if (outcome.status === "cancelled" && !adminCancelled) return; // this process is stopping: `measuring`, resumed at the next start
  const reason =
    outcome.status === "cancelled"
      ? "measurement cancelled by an administrator; no figures"
      : outcome.status === "failed"
        ? `measurement failed: ${outcome.errors.join("; ") || "unknown error"}`
        : null;
  await setVersionStatus(modelId, version, "ready", reason);
  invalidateTable();
  log(reason ? "warn" : "info", "uploaded version measured", { model: modelId, version, status: outcome.status, ...(reason ? { reason } : {}) });
}

async function measure(modelId: string, version: string): Promise<void> {
  const measuring = { modelId, version };
  for (;;) {
    // Asked again before every attempt (and decided in the claim): measured elsewhere, or removed, meanwhile.
    const v = await findVersion(modelId, version);
    if (!v || v.status !== "measuring") return;
    try {
      const started = await startMeasurementRun({
        mode: "quick",
        models: [servableId(modelId, version)],
        userId: null,
        measuring,
        beforeClose: async (outcome, runId) => settle(modelId, version, outcome, outcome.status === "cancelled" && (await isBenchmarkCancelRequested(runId))),
      });
      if (!started) return;
      log("info", "measuring an uploaded version", { model: modelId, version, runId: started.run.id });
      await started.done;
      return;
    } catch (e) {
      if (isDomainError(e) && e.code === "benchmark_running") {
        await sleep(WAIT_MS);
        continue;
      }
      // Could not start (the files unreachable, the version gone from the runtime): servable still, and why.
      await settle(modelId, version, { status: "failed", errors: [message(e)] }, false);
      return;
    }
  }
}

/**
 * Measures a version in the background (once per process however often it is asked). The version must be
 * `measuring` — the upload service sets it so after validation; any other status is left alone.
 */
export function scheduleMeasurement(modelId: string, version: string): void {
  const id = servableId(modelId, version);
  if (pending.has(id)) return;
  const p = measure(modelId, version)
    .catch((e: unknown) => log("error", "measuring an uploaded version failed", { model: modelId, version, error: message(e) }))
    .finally(() => pending.delete(id));
  pending.set(id, p);
}

/** Resolves when the measurement of a version this process scheduled is over (at once when there is none). */
export function measurementSettled(modelId: string, version: string): Promise<void> {
  return pending.get(servableId(modelId, version)) ?? Promise.resolve();
}

/**
 * Versions left `measuring` — by a process that stopped mid-measurement, or registered without a server (the CLI) —
 * measured now (boot, and every registry change, call this). One already being measured by this process is skipped;
 * one being measured by another instance is waited for and then found settled. Returns the versions scheduled.
 */
export async function resumeMeasurements(): Promise<string[]> {
  const ids: string[] = [];
  for (const v of await versionsInStatus("measuring")) {
    const id = servableId(v.modelId, v.version);
    if (pending.has(id)) continue;
    scheduleMeasurement(v.modelId, v.version);
    ids.push(id);
  }
  return ids;
}
