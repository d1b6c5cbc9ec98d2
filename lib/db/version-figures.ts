import "server-only";
import { headlinesOf, type Headline } from "@/lib/models/summary";
import { db } from "./client";
import { keepLatest } from "./latest-figures";

/** Rows scanned per model: a model's versions, metrics and concurrencies, a few runs deep. */
const SCAN = 2000;

/**
 * This host's headline figures of one model, per version: keyed `<model>@<version>` (the servable id) for an
 * uploaded model's versions, by the model id for a built-in's one unversioned set.
 */
export async function versionHeadlines(hostFingerprint: string, modelId: string): Promise<Record<string, Headline>> {
  const rows = await db().modelBenchmark.findMany({
    where: { hostFingerprint, modelId },
    orderBy: { measuredAt: "desc" },
    take: SCAN,
    select: { modelId: true, version: true, metric: true, value: true, conditions: true, measuredAt: true, hostFingerprint: true },
  });
  // The servable id as the row's identity, so "newest per (model, metric, concurrency)" holds per version.
  return headlinesOf(keepLatest(rows.map((r) => ({ ...r, modelId: r.version ? `${r.modelId}@${r.version}` : r.modelId }))));
}
