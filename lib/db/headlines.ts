import "server-only";
import { HEADLINE_METRICS, headlinesOf, type Headline } from "@/lib/models/summary";
import { db } from "./client";

/** The latest headline figures per model (see lib/models/summary.ts), of one host when given its fingerprint. */
export async function headlines(hostFingerprint?: string): Promise<Record<string, Headline>> {
  const rows = await db().modelBenchmark.findMany({
    where: { metric: { in: [...HEADLINE_METRICS] }, ...(hostFingerprint ? { hostFingerprint } : {}) },
    orderBy: { measuredAt: "desc" },
    take: 2000,
  });
  return headlinesOf(rows);
}
