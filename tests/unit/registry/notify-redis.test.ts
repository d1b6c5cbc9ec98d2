/**
 * Registry change notification over Redis (a database of the test's own): this process is one instance; a plain
 * Redis client on the same channel plays the other one, hearing what this instance announces and announcing changes
 * this instance must hear. Only the channel can deliver those: the database does not change.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { redisDatabase, redisReachable, REDIS_BASE_URL } from "../../support/infra";
import { openFreshDatabase, type OpenDatabase } from "../../support/fresh-db";

const reachable = await redisReachable();
if (!reachable) console.warn(`notify-redis: skipped — Redis not reachable at ${REDIS_BASE_URL}`);

describe.skipIf(!reachable)("registry watch over Redis", () => {
  let notify: typeof import("@/lib/registry/notify");
  let database: OpenDatabase | undefined;
  let closeRedis: () => Promise<void> = async () => undefined;
  let other: Redis;
  let otherSub: Redis;
  let channel = "";

  beforeAll(async () => {
    const r = await redisDatabase();
    closeRedis = r.close;
    process.env.REDIS_URL = r.url;
    channel = `pareto:registry:${new URL(r.url).pathname.slice(1)}`;
    database = await openFreshDatabase();
    notify = await import("@/lib/registry/notify");
    other = new Redis(r.url);
    otherSub = new Redis(r.url);
  });

  afterAll(async () => {
    await notify?.stopRegistryWatch();
    (await import("@/lib/metering/redis")).redis()?.disconnect();
    other?.disconnect();
    otherSub?.disconnect();
    await closeRedis();
    await database?.close();
  });

  it("proves the channel with its own heartbeat, hears another instance's change, and tells the others of its own", async () => {
    let calls = 0;
    const stop = notify.watchRegistry(() => calls++);
    await notify.registryWatchReady();
    await vi.waitFor(() => expect(notify.registryChannelUp()).toBe(true), { timeout: 15_000, interval: 100 });

    // Another instance announces: only Redis can carry it (the database is unchanged).
    await other.publish(channel, JSON.stringify({ from: "instance-b", change: true }));
    await vi.waitFor(() => expect(calls).toBe(1), { timeout: 10_000, interval: 50 });

    // Malformed messages on the channel are ignored.
    for (const text of ["not json", "{}", JSON.stringify({ from: 7, change: true }), JSON.stringify({ from: "instance-b", change: "yes" })]) await other.publish(channel, text);

    // This instance announces: its own watcher runs at once, the other instance hears it.
    const heard: string[] = [];
    await otherSub.subscribe(channel);
    otherSub.on("message", (_c: string, text: string) => {
      const m = JSON.parse(text) as { change?: boolean };
      if (m.change) heard.push(text);
    });
    await notify.announceRegistryChange();
    expect(calls).toBe(2);
    await vi.waitFor(() => expect(heard).toHaveLength(1), { timeout: 10_000, interval: 50 });
    const { instanceId } = await import("@/lib/metering/instance");
    expect(JSON.parse(heard[0])).toEqual({ from: instanceId(), change: true });
    // Its own message coming back does not run its watchers a second time, and the malformed ones ran nothing: a
    // message published after all of them (so delivered after them) is the only one counted.
    await other.publish(channel, JSON.stringify({ from: "instance-b", change: true }));
    await vi.waitFor(() => expect(calls).toBeGreaterThanOrEqual(3), { timeout: 10_000, interval: 50 });
    expect(calls).toBe(3);
    stop();
    expect(notify.registryChannelUp()).toBe(false);
  });
});
