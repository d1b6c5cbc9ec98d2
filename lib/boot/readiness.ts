import "server-only";
import { pingDb } from "@/lib/db/ping";
import { redis } from "@/lib/metering/redis";
import { getRuntime } from "@/lib/runtime";
import { bootState } from "./state";

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms)));
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

async function check(fn: () => Promise<unknown>, what: string): Promise<{ ok: boolean; error?: string }> {
  try {
    await withTimeout(fn(), 2_000, what);
    return { ok: true };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message.split("\n")[0] : String(e) };
  }
}

export type Readiness =
  | { ready: false; body: { status: "starting"; boot: { phase: string; step?: string } } }
  | { ready: boolean; body: { status: "ready" | "not_ready"; checks: Checks } };

interface Checks {
  database: { ok: boolean; error?: string };
  redis: { configured: boolean; ok: boolean; error?: string };
  models: { id: string; state: string; reason?: string }[];
}

/**
 * Readiness: boot has finished (task defaults preloaded), the database answers, Redis answers when configured, and
 * at least one model can serve. Models that FAILED are listed with their reason but don't make the instance
 * unready on their own.
 */
export async function readiness(): Promise<Readiness> {
  const boot = bootState();
  if (boot.phase !== "ready") return { ready: false, body: { status: "starting", boot: { phase: boot.phase, step: boot.step } } };
  const r = redis();
  const [database, cache] = await Promise.all([check(pingDb, "the database"), r ? check(() => r.ping(), "redis") : Promise.resolve({ ok: true })]);
  const models = getRuntime()
    .status()
    .map((s) => ({ id: s.id, state: s.state, ...(s.reason ? { reason: s.reason } : {}) }));
  const servable = models.some((m) => m.state !== "FAILED");
  const ready = database.ok && cache.ok && servable;
  return { ready, body: { status: ready ? "ready" : "not_ready", checks: { database, redis: { configured: Boolean(r), ...cache }, models } } };
}
