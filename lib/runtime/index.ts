/**
 * The process-wide runtime. Boot (lib/boot) starts it once from the environment (see README "Environment
 * variables"); the CLI, benchmarks and tests start and close their own. Kept on globalThis so every Next.js layer's
 * copy of this module (instrumentation, pages, route handlers) finds the one worker pool.
 */
import { env } from "@/lib/config/env";
import { ServiceError } from "@/lib/models/errors";
import { Runtime, type RuntimeConfig } from "./runtime";

export { Runtime } from "./runtime";
export type { RunResult, RunOptions, RunPriority, RuntimeConfig } from "./runtime";
export type { ModelStatus, ModelState } from "./registry";
export { RuntimeError, InputError, spentComputeMs } from "./errors";
export { admitDecode, admitTensors, decodeBudgetStats, measureRequest, type DecodeLease } from "./admission";

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
    restartMaxMs: env.workerRestartMaxMs(),
    workerNice: env.workerNice(),
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
