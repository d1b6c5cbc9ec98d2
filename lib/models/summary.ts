import "server-only";
import { db } from "@/lib/db/client";

/**
 * The two headline figures per model for catalog cards and sorting: p95 latency at concurrency 1 and the task
 * accuracy, the latest measured on any host (the card shows which host). Written by the selection runner
 * (lib/selection) as ModelBenchmark rows.
 */
export interface Headline {
  p95Ms: number | null;
  accuracy: number | null;
  hostFingerprint: string | null;
}

const LATENCY = ["latency_p95_ms", "p95_ms"];
const ACCURACY = ["accuracy"];

function concurrencyOf(conditions: unknown): number | null {
  const c = (conditions as { concurrency?: unknown } | null)?.concurrency;
  return typeof c === "number" ? c : null;
}

export async function headlines(hostFingerprint?: string): Promise<Record<string, Headline>> {
  const rows = await db().modelBenchmark.findMany({
    where: { metric: { in: [...LATENCY, ...ACCURACY] }, ...(hostFingerprint ? { hostFingerprint } : {}) },
    orderBy: { measuredAt: "desc" },
    take: 2000,
  });
  const out: Record<string, Headline> = {};
  for (const r of rows) {
    const h = (out[r.modelId] ??= { p95Ms: null, accuracy: null, hostFingerprint: r.hostFingerprint });
    if (LATENCY.includes(r.metric) && h.p95Ms === null && (concurrencyOf(r.conditions) ?? 1) === 1) h.p95Ms = r.value;
    if (ACCURACY.includes(r.metric) && h.accuracy === null) h.accuracy = r.value;
  }
  return out;
}
