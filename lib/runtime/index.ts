/**
 * The process-wide runtime, created on first use from the environment (see README "Environment variables").
 * Kept on globalThis so route handlers, the instrumentation of the server and tests share one worker pool.
 */
import os from "node:os";
import { CATALOG } from "@/lib/models/catalog";
import { defaultPoolSize } from "./worker-pool";
import { Runtime, type RuntimeConfig } from "./runtime";

export { Runtime } from "./runtime";
export type { RunResult, RunOptions, RuntimeConfig } from "./runtime";
export type { ModelStatus, ModelState } from "./registry";
export { RuntimeError, InputError } from "./errors";

function intEnv(name: string, fallback: number, min = 0): number {
  const v = process.env[name];
  if (v === undefined || v.trim() === "") return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}, got "${v}"`);
  return n;
}

export function runtimeConfigFromEnv(overrides: Partial<RuntimeConfig> = {}): RuntimeConfig {
  const cores = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  const workers = overrides.workers ?? intEnv("PARETO_WORKERS", defaultPoolSize(), 1);
  return {
    root: process.env.PARETO_ROOT ?? process.cwd(),
    workers,
    // Workers × intra-op threads never exceeds the cores, so workers don't fight over them.
    intraOpThreads: intEnv("PARETO_INTRA_OP_THREADS", Math.max(1, Math.floor(cores / workers)), 1),
    slotsPerWorker: intEnv("PARETO_WORKER_SLOTS", 8, 1),
    queueMax: intEnv("PARETO_QUEUE_MAX", 64, 1),
    timeoutMs: intEnv("PARETO_REQUEST_TIMEOUT_MS", 30_000, 100),
    memoryBudgetBytes: intEnv("PARETO_MEMORY_BUDGET_MB", 2048, 64) * 1024 * 1024,
    batching: process.env.PARETO_BATCHING !== "0",
    testHooks: process.env.PARETO_TEST_HOOKS === "1",
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
