import "server-only";
import { Redis } from "ioredis";
import { env } from "@/lib/config/env";
import { log } from "@/lib/log";

const g = globalThis as unknown as { __paretoRedis?: Redis | null };

/** The shared Redis connection when REDIS_URL is set, else null (single-instance mode). */
export function redis(): Redis | null {
  if (g.__paretoRedis === undefined) {
    const url = env.redisUrl();
    g.__paretoRedis = url ? new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false }) : null;
    g.__paretoRedis?.on("error", (e: Error) => console.error(`[pareto] redis: ${e.message}`));
  }
  return g.__paretoRedis;
}

/** What a channel subscriber is told: its subscription took effect, it was lost, a message arrived. */
export interface ChannelHandlers {
  onSubscribed: () => void;
  onDown: () => void;
  onMessage: (text: string) => void;
}

/**
 * A dedicated subscriber connection on one pub/sub channel (a subscribed connection can do nothing else). It
 * resubscribes itself on every "ready" (not ioredis's autoResubscribe), so the moment a subscription takes effect is
 * known; every close reports the channel down. ioredis reconnects by itself, and the main connection already logs
 * Redis being away, so the subscriber's own errors are not logged again. `label` names it in logs.
 */
export function subscribeChannel(main: Redis, channel: string, label: string, h: ChannelHandlers): Redis {
  const sub = main.duplicate({ autoResubscribe: false, connectionName: `pareto-${label}` });
  sub.on("ready", () => {
    sub
      .subscribe(channel)
      .then(() => {
        if (sub.status === "ready") h.onSubscribed();
      })
      .catch((e: unknown) => log("warn", `${label} channel: subscribe failed`, { error: e instanceof Error ? e.message : String(e) }));
  });
  sub.on("close", h.onDown);
  sub.on("end", h.onDown);
  sub.on("error", () => undefined);
  sub.on("message", (c: string, text: string) => {
    if (c === channel) h.onMessage(text);
  });
  return sub;
}
