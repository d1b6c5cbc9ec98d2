import "server-only";
import type { CatalogEntry } from "@/lib/models/catalog";
import { admitDecode, getRuntime, type RunResult } from "@/lib/runtime";
import type { MeteredContext } from "./route";
import { pipelineSize, withQuota } from "./quota-run";

export { instanceId } from "./quota-run";

/**
 * Reserve quota for the input's size → admit by decoded size → run the pipeline in the runtime → settle the measured
 * compute (or release on failure). The decode budget is taken after the quota (a request the quota refuses holds no
 * memory) and given back when the runtime is done with the request, whatever the outcome. The input's header is
 * measured once, before both; then the input is handed to the runtime, which may move (detach) its buffer.
 */
export function runMetered<T, P>(ctx: MeteredContext<P>, entry: CatalogEntry, input: Buffer, options: Record<string, unknown>, field: "image" | "audio"): Promise<RunResult<T>> {
  return withQuota(
    ctx,
    entry,
    async (size) => {
      const lease = admitDecode(entry, size.input, options);
      try {
        // Nothing reads `input` after this call (its size was measured before the quota): moved, not copied.
        return await getRuntime().run<T>(entry.id, input, options, { signal: ctx.req.signal, handOver: true });
      } finally {
        lease.release();
      }
    },
    field,
    () => pipelineSize(entry, input, options, field),
  );
}
