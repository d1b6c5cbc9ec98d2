/**
 * What "the latest figures per model" means, once for every reader (the Selection page and `model=auto` through
 * lib/selection's table, the catalog cards, a model's detail card): for each (model, metric, concurrency) the newest
 * row wins. Concurrency is part of the key because latency is measured at several levels; everything else in the
 * conditions (samples, eval subset, quick/full) describes how the winning figure was measured and is kept with it,
 * so a cancelled run's partial results add to — never erase — earlier ones. Pure, so it is unit-tested on plain rows.
 */

export interface FigureRow {
  modelId: string;
  metric: string;
  conditions: unknown;
  measuredAt: Date;
}

/** The concurrency a figure was measured at (conditions.concurrency), or null for figures without one. */
export function concurrencyOf(conditions: unknown): number | null {
  const c = conditions && typeof conditions === "object" && !Array.isArray(conditions) ? (conditions as { concurrency?: unknown }).concurrency : undefined;
  return typeof c === "number" ? c : null;
}

/** Keeps the newest row per (model, metric, concurrency); the result is newest first, whatever the input order. */
export function keepLatest<R extends FigureRow>(rows: readonly R[]): R[] {
  const sorted = [...rows].sort((a, b) => b.measuredAt.getTime() - a.measuredAt.getTime());
  const seen = new Set<string>();
  return sorted.filter((r) => {
    const key = JSON.stringify([r.modelId, r.metric, concurrencyOf(r.conditions)]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
