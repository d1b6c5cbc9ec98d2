import "server-only";
import { headlinesOf, type Headline } from "@/lib/models/summary";
import { latestFigures } from "./benchmarks";

/** The headline figures per model (see lib/models/summary.ts), from this host's latest figures. */
export async function headlines(hostFingerprint: string): Promise<Record<string, Headline>> {
  return headlinesOf(await latestFigures(hostFingerprint));
}
