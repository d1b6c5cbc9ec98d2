import "server-only";
/**
 * Which version of a model answers a request: by the versions' traffic shares, either per request (random) or,
 * for a sticky model, per API key (a hash of key and model, so a key keeps its version while the split holds and
 * moves only if its bucket's share moves).
 */
import { createHash } from "node:crypto";

export interface Share {
  version: string;
  trafficPercent: number;
}

/** 0–99: the caller's bucket for this model (stable per key, uniform over keys). */
export function stickyBucket(stickyKey: string, modelId: string): number {
  return createHash("sha256").update(`${modelId}\0${stickyKey}`).digest().readUInt32BE(0) % 100;
}

/**
 * The version for one request, or undefined when no version has a share. Shares are walked in the given order
 * (oldest first), so a 90/10 split sends buckets 0–89 to the first version.
 */
export function pickVersion(shares: readonly Share[], bucket: number = Math.random() * 100): string | undefined {
  const live = shares.filter((s) => s.trafficPercent > 0);
  const total = live.reduce((n, s) => n + s.trafficPercent, 0);
  if (!total) return undefined;
  // Shares are kept summing to 100; scaled anyway, so a split mid-edit still sends every request somewhere.
  let at = (bucket / 100) * total;
  for (const s of live) {
    if (at < s.trafficPercent) return s.version;
    at -= s.trafficPercent;
  }
  return live[live.length - 1].version;
}
