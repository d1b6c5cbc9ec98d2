/**
 * The ways a benchmark reaches our pipelines: in-process ONNX Runtime sessions (the plain `SessionContext`,
 * exactly what tests use) or the real worker-pool `Runtime`. Plus a bounded-concurrency driver.
 */
import * as ort from "onnxruntime-node";
import { runtimeConfigFromEnv, Runtime, type RuntimeConfig } from "@/lib/runtime";
import { SessionContext } from "@/lib/runtime/session-context";
import { weightPath, type WeightKey } from "@/lib/models/weights";
import type { Feeds, InferenceContext, Outputs, TensorArray, TensorType } from "@/lib/models/tensor";
import { ROOT } from "./data";

/** Direct in-process sessions, as `tests/support/direct-context.ts` makes them. */
export function directContext(intraOpThreads = 1): SessionContext {
  return new SessionContext({ intraOpThreads, resolvePath: (k) => weightPath(k as WeightKey, ROOT) });
}

/**
 * The same as `SessionContext` with one session option changed: ONNX Runtime's intra-op pool threads do not
 * spin-wait after a run. Used only to show what that option costs (see the overhead suite).
 */
export function noSpinContext(intraOpThreads: number): InferenceContext {
  const sessions = new Map<string, Promise<ort.InferenceSession>>();
  return {
    async run(weightKey: string, feeds: Feeds): Promise<Outputs> {
      let s = sessions.get(weightKey);
      if (!s) {
        s = ort.InferenceSession.create(weightPath(weightKey as WeightKey, ROOT), {
          intraOpNumThreads: intraOpThreads,
          interOpNumThreads: 1,
          executionMode: "sequential",
          graphOptimizationLevel: "all",
          extra: { session: { intra_op: { allow_spinning: "0" } } },
        });
        sessions.set(weightKey, s);
      }
      const session = await s;
      const ortFeeds: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor(t.type, t.data as ort.Tensor.DataType, t.dims);
      const result = await session.run(ortFeeds);
      const out: Outputs = {};
      for (const [name, t] of Object.entries(result)) out[name] = { type: t.type as TensorType, data: t.data as TensorArray, dims: [...t.dims] };
      return out;
    },
  };
}

/** A real runtime rooted at the repository, with explicit settings (environment variables fill the rest). */
export function newRuntime(overrides: Partial<RuntimeConfig> & { workers: number }): Runtime {
  return new Runtime(runtimeConfigFromEnv({ root: ROOT, ...overrides }));
}

/** Runs `fn` over `items` with at most `concurrency` calls in flight, in item order. */
export async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
}

/** Wall time of one awaited call, in ms. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

/** Rotates `xs` by `k`: systems take turns going first across repetitions, so drift doesn't favour one. */
export function rotate<T>(xs: readonly T[], k: number): T[] {
  const n = xs.length;
  return xs.map((_, i) => xs[(i + k) % n]);
}
