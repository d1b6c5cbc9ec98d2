import "server-only";
import type { CatalogEntry } from "@/lib/models/catalog";
import { instanceId } from "@/lib/metering/instance";
import { quotaSubjects } from "@/lib/metering/limits";
import { reserve, settle } from "@/lib/metering/quota";
import { refusalError } from "./quota-run";
import type { MeteredContext } from "./route";

/**
 * A job's submission counts as one request against the monthly quota, like a synchronous call: reserved and
 * settled at once with no compute (the pages and chunks reserve their compute as the job runs). A quota already
 * used up is refused here, 402, rather than by the job's first page.
 */
export async function checkJobQuota<P>(ctx: MeteredContext<P>, entry: CatalogEntry): Promise<void> {
  ctx.usage.modelId = entry.modelId;
  const r = await reserve(quotaSubjects(ctx.principal), 0, ctx.requestId, instanceId(), 60_000);
  if (!r.ok) throw refusalError(r);
  await settle(r.reservation, 0);
  ctx.headers["x-quota-remaining-requests"] = String(Math.max(0, r.remainingRequests));
}
