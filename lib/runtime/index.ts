/**
 * The process-wide runtime. Boot (lib/boot) starts it once from the environment (see README "Environment
 * variables"); the CLI, benchmarks and tests start and close their own. Kept on globalThis so every Next.js layer's
 * copy of this module (instrumentation, pages, route handlers) finds the one worker pool.
 */
import os from "node:os";
import { ServiceError } from "@/lib/models/errors";
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

/** Starts the process-wide runtime (boot does, at start-up; scripts and tests may too). Idempotent. */
export function startRuntime(overrides: Partial<RuntimeConfig> = {}): Runtime {
  g.__paretoRuntime ??= new Runtime(runtimeConfigFromEnv(overrides));
  return g.__paretoRuntime;
}

/**
 * The runtime boot started. Nothing creates it lazily from a request: before boot has started it (or after
 * shutdown closed it) a request is answered 503 `unavailable` with Retry-After.
 */
export function getRuntime(): Runtime {
  if (!g.__paretoRuntime) throw new ServiceError("unavailable", "The server is starting; retry shortly.", { retryAfterS: 2 });
  return g.__paretoRuntime;
}

export async function closeRuntime(): Promise<void> {
  const rt = g.__paretoRuntime;
  g.__paretoRuntime = undefined;
  await rt?.close();
}
