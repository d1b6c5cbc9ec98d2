/**
 * REDIS_URL set but Redis not answering (nothing listens on the port): the channel is never proven, so watchers poll
 * the registry every 2 s as if Redis were not configured, and announcing a change neither hangs nor throws.
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openFreshDatabase, type OpenDatabase } from "../../support/fresh-db";

let notify: typeof import("@/lib/registry/notify");
let client: OpenDatabase["client"];
let database: OpenDatabase | undefined;

/** A port nothing listens on: bound, read, released. */
async function deadPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

beforeAll(async () => {
  process.env.REDIS_URL = `redis://127.0.0.1:${await deadPort()}`;
  database = await openFreshDatabase();
  ({ client } = database);
  notify = await import("@/lib/registry/notify");
});

afterAll(async () => {
  await notify?.stopRegistryWatch();
  (await import("@/lib/metering/redis")).redis()?.disconnect();
  await database?.close();
});

describe("registry watch with Redis configured but unreachable", () => {
  it("falls back to polling, and an announcement returns (its publish retried in the background)", async () => {
    let calls = 0;
    const stop = notify.watchRegistry(() => calls++);
    await notify.registryWatchReady();
    const model = await client.db().model.findFirstOrThrow();
    await client.db().model.update({ where: { id: model.id }, data: { enabled: !model.enabled } });
    await vi.waitFor(() => expect(calls).toBeGreaterThanOrEqual(1), { timeout: 15_000, interval: 100 });
    expect(notify.registryChannelUp()).toBe(false);
    const before = calls;
    await notify.announceRegistryChange(200);
    expect(calls).toBe(before + 1);
    stop();
  });
});
