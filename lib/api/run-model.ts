import "server-only";
import type { CatalogEntry } from "@/lib/models/catalog";
import { getRuntime, type RunResult } from "@/lib/runtime";
import type { MeteredContext } from "./route";
import { pipelineSize, withQuota } from "./quota-run";

export { instanceId } from "./quota-run";

/** Reserve quota for the input's size → run the pipeline in the runtime → settle the measured compute (or release on failure). */
export async function runMetered<T, P>(ctx: MeteredContext<P>, entry: CatalogEntry, input: Buffer, options: Record<string, unknown>, field: "image" | "audio"): Promise<RunResult<T>> {
  const size = await pipelineSize(entry, input, field);
  return withQuota(ctx, entry, () => getRuntime().run<T>(entry.id, input, options, { signal: ctx.req.signal }), field, size);
}
