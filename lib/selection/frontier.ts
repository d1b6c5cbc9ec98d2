/**
 * The Pareto frontier of a task's variants: maximise accuracy, minimise a cost (p95 latency at a stated
 * concurrency, or memory). A point is dominated when another is at least as accurate and at most as costly, and
 * strictly better in one of the two. Points with identical figures don't dominate each other: both stay on the
 * frontier and are marked tied. Pure.
 */

export interface CostPoint {
  model: string;
  accuracy: number;
  /** Lower is better: p95 ms or MB. */
  cost: number;
}

export interface FrontierFlags {
  onFrontier: boolean;
  /** Models that dominate this one (empty on the frontier). */
  dominatedBy: string[];
  /** Models with exactly the same accuracy and cost. */
  tiedWith: string[];
}

export function dominates(b: CostPoint, a: CostPoint): boolean {
  return b.accuracy >= a.accuracy && b.cost <= a.cost && (b.accuracy > a.accuracy || b.cost < a.cost);
}

/** Flags every point; the result is sorted by cost, then accuracy (best first), then model id. */
export function paretoFrontier<T extends CostPoint>(points: readonly T[]): (T & FrontierFlags)[] {
  const flagged = points.map((p) => {
    const dominatedBy = points.filter((q) => q !== p && dominates(q, p)).map((q) => q.model);
    const tiedWith = points.filter((q) => q !== p && q.accuracy === p.accuracy && q.cost === p.cost).map((q) => q.model);
    return { ...p, onFrontier: dominatedBy.length === 0, dominatedBy, tiedWith };
  });
  return flagged.sort((a, b) => a.cost - b.cost || b.accuracy - a.accuracy || a.model.localeCompare(b.model));
}

/** The frontier alone, cheapest first: the staircase a chart connects. */
export function frontierLine<T extends CostPoint>(points: readonly T[]): (T & FrontierFlags)[] {
  return paretoFrontier(points).filter((p) => p.onFrontier);
}
