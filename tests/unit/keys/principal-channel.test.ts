/**
 * The principal invalidation channel on a real Redis (a database of the test's own): it subscribes through the
 * shared subscriber (lib/metering/redis.ts subscribeChannel), proves itself with its own heartbeat, and reports
 * itself down when stopped. What it invalidates is covered end to end by tests/integration/key-cache*.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { redisDatabase, redisReachable, REDIS_BASE_URL } from "../../support/infra";

const reachable = await redisReachable();
if (!reachable) console.warn(`principal-channel: skipped — Redis not reachable at ${REDIS_BASE_URL}`);

describe.skipIf(!reachable)("principal invalidation channel", () => {
  let close: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    const r = await redisDatabase();
    close = r.close;
    process.env.REDIS_URL = r.url;
  });
  afterAll(async () => {
    (await import("@/lib/metering/redis")).redis()?.disconnect();
    await close();
  });

  it("subscribes, sees its own heartbeat come back, and is down once stopped", async () => {
    const channel = await import("@/lib/keys/principal-channel");
    const { principalStore } = await import("@/lib/keys/principal-store");
    channel.startPrincipalChannel();
    await vi.waitFor(() => expect(principalStore().health.subscribedAt).not.toBeNull(), { timeout: 10_000, interval: 50 });
    await vi.waitFor(() => expect(principalStore().health.lastHeartbeatSentAt).toBeGreaterThan(0), { timeout: 10_000, interval: 50 });
    await channel.stopPrincipalChannel();
    expect(principalStore().health.subscribedAt).toBeNull();
  });
});
