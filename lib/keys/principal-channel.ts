import "server-only";
import type { Redis } from "ioredis";
import { log } from "@/lib/log";
import { instanceId } from "@/lib/metering/instance";
import { redis, subscribeChannel } from "@/lib/metering/redis";
import type { PrincipalChange } from "./principal-cache";
import { HEARTBEAT_MS, invalidateLocal, principalStore, TTL } from "./principal-store";

/**
 * Cross-instance invalidation of the principal caches (principal-store.ts) over Redis pub/sub. Every change that
 * affects a principal — a key revoked or rotated, a user disabled, enabled, moved to another plan or given another
 * role, a plan's limits edited — goes through principalChanged(): it clears this process's entries at once and
 * publishes the change; every instance subscribes on a dedicated connection (a subscribed connection can do
 * nothing else) started by lib/boot and closed on shutdown.
 *
 * A lost message must never keep a revoked key alive for long, so the long TTL applies only while the channel is
 * known to work: each instance publishes a heartbeat to itself every second, and an entry is long-lived only when
 * its own heartbeat came back within 3 s and the entry was stored under the current subscription (a reconnect may
 * have missed messages: what was cached before it falls back to the 1 s TTL). A change this instance could not
 * publish (Redis unreachable from here) is retried in the background for as long as another instance may hold a
 * long-lived entry.
 */

interface Channel {
  sub: Redis;
  timer: NodeJS.Timeout;
}

const g = globalThis as unknown as { __paretoPrincipalChannel?: Channel };

/** Pub/sub ignores Redis's database index: the index is in the name, so deployments sharing a Redis stay apart. */
function channelName(r: Redis): string {
  return `pareto:principals:${r.options.db ?? 0}`;
}

type Message = { from: string; heartbeat: number } | { from: string; change: PrincipalChange };

function parseMessage(text: string): Message | null {
  try {
    const m = JSON.parse(text) as Record<string, unknown>;
    if (typeof m.from !== "string") return null;
    if (typeof m.heartbeat === "number") return { from: m.from, heartbeat: m.heartbeat };
    const c = m.change as Record<string, unknown> | null;
    if (c && typeof c === "object") {
      if (typeof c.keyId === "string") return { from: m.from, change: { keyId: c.keyId } };
      if (typeof c.userId === "string") return { from: m.from, change: { userId: c.userId } };
      if (typeof c.planId === "string") return { from: m.from, change: { planId: c.planId } };
    }
  } catch {
    /* not ours */
  }
  return null;
}

function onMessage(text: string): void {
  const m = parseMessage(text);
  if (!m) return;
  const me = instanceId();
  if ("heartbeat" in m) {
    const h = principalStore().health;
    if (m.from === me && h.subscribedAt !== null) h.lastHeartbeatSentAt = Math.max(h.lastHeartbeatSentAt, m.heartbeat);
    return;
  }
  // Our own changes were applied when they were made.
  if (m.from !== me) invalidateLocal(m.change);
}

/** Subscribes when REDIS_URL is set (no-op otherwise, and when already started). Returns at once. */
export function startPrincipalChannel(): void {
  const main = redis();
  if (!main || g.__paretoPrincipalChannel) return;
  const name = channelName(main);
  const health = principalStore().health;
  const sub = subscribeChannel(main, name, "principals", {
    onSubscribed: () => {
      health.subscribedAt = Date.now();
      health.lastHeartbeatSentAt = 0;
      log("info", "principal invalidation channel subscribed", { channel: name });
    },
    onDown: () => {
      if (health.subscribedAt !== null) log("warn", "principal invalidation channel lost: keys are re-read every second until it is back");
      health.subscribedAt = null;
      health.lastHeartbeatSentAt = 0;
    },
    onMessage,
  });
  const timer = setInterval(() => {
    // Not queued while disconnected: a heartbeat delivered late proves nothing and is ignored anyway.
    if (main.status !== "ready") return;
    main.publish(name, JSON.stringify({ from: instanceId(), heartbeat: Date.now() })).catch(() => undefined);
  }, HEARTBEAT_MS);
  timer.unref();
  g.__paretoPrincipalChannel = { sub, timer };
}

/** On shutdown: stop the heartbeat and close the subscriber connection. */
export async function stopPrincipalChannel(): Promise<void> {
  const ch = g.__paretoPrincipalChannel;
  if (!ch) return;
  g.__paretoPrincipalChannel = undefined;
  clearInterval(ch.timer);
  // Not "lost" (no warning on the way out): every entry falls back to the short TTL.
  principalStore().health.subscribedAt = null;
  await ch.sub.quit().catch(() => ch.sub.disconnect());
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Keeps publishing a change until it gets through, or until no other instance can still hold what it touches. */
function retryPublish(main: Redis, name: string, text: string, until: number): void {
  const attempt = () => {
    if (Date.now() > until) return log("error", "principal change never published: other instances saw it through their TTL", { text });
    main.publish(name, text).then(
      () => log("info", "principal change published after a retry"),
      () => setTimeout(attempt, 1_000).unref(),
    );
  };
  setTimeout(attempt, 1_000).unref();
}

/**
 * A principal changed (call after the change is committed): this process forgets it now; other instances are told
 * through Redis. Waits up to `waitMs` for the publish (the CLI exits right after), then goes on retrying in the
 * background.
 */
export async function principalChanged(change: PrincipalChange, waitMs = 1_000): Promise<void> {
  invalidateLocal(change);
  const main = redis();
  if (!main) return;
  const name = channelName(main);
  const text = JSON.stringify({ from: instanceId(), change });
  const until = Date.now() + TTL.longMs;
  let timer: NodeJS.Timeout | undefined;
  const sent = main.publish(name, text).then(
    () => true,
    (e: unknown) => {
      log("warn", "principal change not published; retrying", { error: message(e) });
      retryPublish(main, name, text, until);
      return true;
    },
  );
  const waited = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), waitMs)));
  await Promise.race([sent, waited]);
  clearTimeout(timer);
}
