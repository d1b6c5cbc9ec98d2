/** Helpers for the key-cache tests: one cheap keyed request, and the cache's own metrics. */
import { request, type CookieJar } from "./http";
import { bearer } from "./api";

export interface KeyAnswer {
  status: number;
  code: string | null;
  /** The plan's (or key's) requests-per-minute limit the request was admitted under. */
  rpm: number | null;
}

/** GET /api/v1/usage with a key (or a session): authenticated and rate-limited like any metered route. */
export async function callWithKey(base: string, key: string | { jar: CookieJar }): Promise<KeyAnswer> {
  const res = await request(base, "/api/v1/usage", typeof key === "string" ? { headers: bearer(key) } : { jar: key.jar });
  const body = (await res.json()) as { error?: { code: string } };
  const rpm = res.headers.get("x-ratelimit-limit-requests");
  return { status: res.status, code: body.error?.code ?? null, rpm: rpm === null ? null : Number(rpm) };
}

/** One sample of an instance's /metrics (0 when absent). */
export async function metric(base: string, token: string, name: string, labels = ""): Promise<number> {
  const text = await (await request(base, "/metrics", { headers: { authorization: `Bearer ${token}` } })).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name}${labels} `));
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
}

export const keyCacheHits = (base: string, token: string) => metric(base, token, "pareto_key_cache_lookups_total", '{result="hit"}');
export const channelUp = async (base: string, token: string) => (await metric(base, token, "pareto_key_invalidation_channel_up")) === 1;
