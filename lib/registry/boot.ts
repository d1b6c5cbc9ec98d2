import "server-only";
/**
 * The registry's part of boot: this instance's runtime fetches uploaded files (verified) before it loads them, its
 * view of the registry follows every change made anywhere — an upload through another instance is servable here
 * within seconds (Redis notice, else polling) — and versions waiting to be measured (uploaded from the CLI, or
 * interrupted by a restart) are measured.
 */
import { invalidateModelRows } from "@/lib/db/models";
import { log } from "@/lib/log";
import { getRuntime } from "@/lib/runtime";
import { ensureLocal } from "./blob-store";
import { resumeMeasurements } from "./measure";
import { watchRegistry } from "./notify";
import { registryRows } from "./servables";

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function follow(): void {
  invalidateModelRows();
  registryRows()
    .then(() => resumeMeasurements())
    .catch((e: unknown) => log("warn", "registry change not applied yet; the next one retries", { error: message(e) }));
}

export async function startRegistry(): Promise<void> {
  getRuntime().setPreparer(async (entry) => {
    for (const f of entry.files) if (f.sha256) await ensureLocal(f.sha256);
  });
  watchRegistry(follow);
  await registryRows();
}

/** After boot is ready (so a measurement does not compete with preloading): versions still waiting. */
export function startPendingMeasurements(): void {
  resumeMeasurements().catch((e: unknown) => log("warn", "pending measurements not started", { error: message(e) }));
}
