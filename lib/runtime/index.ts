/**
 * The process-wide runtime, created on first use from the environment (see README "Environment variables").
 * Kept on globalThis so route handlers, the instrumentation of the server and tests share one worker pool.
 */
import { env } from "@/lib/config/env";
import { CATALOG } from "@/lib/models/catalog";
import { Runtime, type RuntimeConfig } from "./runtime";

export { Runtime } from "./runtime";
export type { RunResult, RunOptions, RuntimeConfig } from "./runtime";
export type { ModelStatus, ModelState } from "./registry";
export { RuntimeError, InputError } from "./errors";

export function runtimeConfigFromEnv(overrides: Partial<RuntimeConfig> = {}): RuntimeConfig {
  const workers = overrides.workers ?? env.workers();
  return {
    root: env.root(),
    workers,
    // Workers × intra-op threads never exceeds the cores, so workers don't fight over them.
    intraOpThreads: env.intraOpThreads(workers),
    slotsPerWorker: env.workerSlots(),
    queueMax: env.queueMax(),
    timeoutMs: env.requestTimeoutMs(),
    memoryBudgetBytes: env.memoryBudgetMb() * 1024 * 1024,
    batching: env.batching(),
    testHooks: env.testHooks(),
    ...overrides,
  };
}

const g = globalThis as unknown as { __paretoRuntime?: Runtime };

export function getRuntime(): Runtime {
  if (!g.__paretoRuntime) {
    g.__paretoRuntime = new Runtime(runtimeConfigFromEnv());
    void preload(g.__paretoRuntime);
  }
  return g.__paretoRuntime;
}

/** PARETO_PRELOAD=all or a comma-separated list of model ids: warm them up in the background at start. */
async function preload(rt: Runtime): Promise<void> {
  const spec = process.env.PARETO_PRELOAD?.trim();
  if (!spec) return;
  const ids = spec === "all" ? CATALOG.map((e) => e.id) : spec.split(",").map((s) => s.trim()).filter(Boolean);
  for (const id of ids) {
    await rt.load(id).catch((e: unknown) => console.error(`[pareto] preload ${id} failed: ${e instanceof Error ? e.message : String(e)}`));
  }
}

export async function closeRuntime(): Promise<void> {
  const rt = g.__paretoRuntime;
  g.__paretoRuntime = undefined;
  await rt?.close();
}
