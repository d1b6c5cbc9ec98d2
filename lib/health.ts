import "server-only";
import { db } from "@/lib/db/client";
import { redis } from "@/lib/metering/redis";
import { getRuntime } from "@/lib/runtime";

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms))]);
}

async function check(fn: () => Promise<unknown>, what: string): Promise<{ ok: boolean; error?: string }> {
  try {
    await withTimeout(fn(), 2_000, what);
    return { ok: true };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message.split("\n")[0] : String(e) };
  }
}

/**
 * Readiness: the database answers, Redis answers when configured, and at least one model can serve. Models
 * that FAILED are listed with their reason but don't make the instance unready on their own.
 */
export async function readiness() {
  const r = redis();
  const [database, cache] = await Promise.all([
    check(() => db().$queryRawUnsafe("SELECT 1"), "the database"),
    r ? check(() => r.ping(), "redis") : Promise.resolve({ ok: true }),
  ]);
  const models = getRuntime().status().map((s) => ({ id: s.id, state: s.state, ...(s.reason ? { reason: s.reason } : {}) }));
  const servable = models.some((m) => m.state !== "FAILED");
  const ready = database.ok && cache.ok && servable;
  return {
    ready,
    body: {
      status: ready ? "ready" : "not_ready",
      checks: { database, redis: { configured: Boolean(r), ...cache }, models },
    },
  };
}
