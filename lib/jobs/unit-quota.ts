import "server-only";
import { estimateComputeMs, observeCost, type InputUnits } from "@/lib/metering/cost-model";
import { instanceId } from "@/lib/metering/instance";
import { reserve, settle, type QuotaLimit, type Refusal, type Reservation } from "@/lib/metering/quota";

/**
 * Each page or chunk of a job reserves its estimated compute (and counts as one request, as the synchronous call it
 * replaces would) before it runs, and is settled with what it measured once it is recorded — or released when it
 * is not (the job lost its lease, the work failed). So a job cannot overspend the quota under concurrency or across
 * instances, and a unit done by an instance that died is never billed: its reservation lapses with its lease.
 */
export type UnitReservation = { ok: true; reservation: Reservation; costKey: string; size: InputUnits } | { ok: false; refusal: Refusal };

/** Longer than a unit can take with its retries (4 × a 10 min deadline and back-off): only a backstop for a dead owner. */
const TTL_MS = 60 * 60_000;

export async function reserveUnit(quota: QuotaLimit[], costKey: string, size: InputUnits, requestId: string): Promise<UnitReservation> {
  const estimate = estimateComputeMs(costKey, size);
  const r = await reserve(quota, estimate, requestId, instanceId(), TTL_MS);
  if (!r.ok) return { ok: false, refusal: r };
  return { ok: true, reservation: r.reservation, costKey, size };
}

export async function settleUnit(u: Extract<UnitReservation, { ok: true }>, computeMs: number | null): Promise<void> {
  await settle(u.reservation, computeMs === null ? null : Math.round(computeMs * 100) / 100);
  if (computeMs !== null) observeCost(u.costKey, u.size, computeMs);
}

/** Why a unit's reservation was refused, for the job's error (the quota is spent; or held by work in flight). */
export function refusalMessage(r: Refusal, done: number, unit: string): string {
  const whose = r.subject.startsWith("key:") ? "the API key's" : "the plan's";
  const what = r.limit === "monthly_requests" ? "monthly requests" : "monthly compute";
  const after = `${done} ${unit === "page" ? (done === 1 ? "page" : "pages") : "audio seconds"}`;
  return `The quota ran out after ${after}: ${whose} ${what} (${r.limit}, ${Math.ceil(r.max)}) are used up until ${r.resetAt.toISOString()}. The results so far are kept.`;
}
