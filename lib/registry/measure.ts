import "server-only";
/**
 * Uploaded versions are measured on arrival: a quick benchmark of the new servable through the selection runner
 * (the deployment's one benchmark run at a time, decided in the database — a run going on elsewhere is waited for,
 * then this one starts), after which the version is `ready` and joins the Selection page and `model=auto` with its
 * figures. The version serves while it is measured (`measuring` is a servable status); a failed measurement keeps it
 * servable and says why in `statusReason`. A process that stops mid-measurement leaves the version `measuring`:
 * `resumeMeasurements` (at boot) measures those again.
 */
import { hasVersionFigures } from "@/lib/db/benchmarks";
import { findVersion, setVersionStatus, versionsInStatus } from "@/lib/db/model-registry";
import { log } from "@/lib/log";
import { isDomainError } from "@/lib/models/errors";
import { currentHost } from "@/lib/selection/host";
import { startBenchmark } from "@/lib/selection/jobs";
import { invalidateTable } from "@/lib/selection/service";
import { servableId } from "./entries";

/** How often a measurement waiting for another run asks again (the run's own heartbeat is 0.5 s). */
const WAIT_MS = 1_000;

const g = globalThis as unknown as { __paretoMeasuring?: Map<string, Promise<void>> };
const pending = (g.__paretoMeasuring ??= new Map());

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

async function measure(modelId: string, version: string): Promise<void> {
  const id = servableId(modelId, version);
  for (;;) {
    // Asked again before every attempt: another instance may have measured it, or an admin removed it meanwhile.
    const v = await findVersion(modelId, version);
    if (!v || v.status !== "measuring") return;
    let outcome;
    try {
      const { done } = await startBenchmark({ mode: "quick", models: [id], userId: null });
      log("info", "measuring an uploaded version", { model: modelId, version });
      outcome = await done;
    } catch (e) {
      if (isDomainError(e) && e.code === "benchmark_running") {
        await sleep(WAIT_MS);
        continue;
      }
      outcome = { status: "failed" as const, errors: [message(e)] };
    }
    if (outcome.status === "cancelled") {
      // Cancelled by an admin or by this process stopping: it stays `measuring` (and servable) until the next start.
      await setVersionStatus(modelId, version, "measuring", "measurement cancelled; it runs again at the next start");
      return;
    }
    const reason = outcome.status === "failed" ? `measurement failed: ${outcome.errors.join("; ") || "unknown error"}` : null;
    await setVersionStatus(modelId, version, "ready", reason);
    invalidateTable();
    log(reason ? "warn" : "info", "uploaded version measured", { model: modelId, version, status: outcome.status, ...(reason ? { reason } : {}) });
    return;
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
 * Boot: versions left `measuring` by a process that stopped are measured again — those without a figure on this
 * host, and those whose measurement was cut short (an instance still measuring one is waited for, then its status
 * is found `ready` and nothing is repeated). Returns the versions scheduled.
 */
export async function resumeMeasurements(): Promise<string[]> {
  const host = currentHost().fingerprint;
  const left = await versionsInStatus("measuring");
  const ids: string[] = [];
  for (const v of left) {
    if (await hasVersionFigures(host, v.modelId, v.version)) log("info", "resuming a measurement cut short", { model: v.modelId, version: v.version });
    scheduleMeasurement(v.modelId, v.version);
    ids.push(servableId(v.modelId, v.version));
  }
  return ids;
}
