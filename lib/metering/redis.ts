import "server-only";
import { Redis } from "ioredis";
import { env } from "@/lib/config/env";

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
