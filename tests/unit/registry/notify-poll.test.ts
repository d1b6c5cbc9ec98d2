/**
 * Registry change notification without Redis: every watcher finds changes made through the database alone (another
 * instance's upload) by polling the registry's fingerprint, within FAST_POLL_MS. SQLite by default, PostgreSQL with
 * PARETO_TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openFreshDatabase, type OpenDatabase } from "../../support/fresh-db";

type Notify = typeof import("@/lib/registry/notify");
let notify: Notify;
let client: OpenDatabase["client"];
let database: OpenDatabase | undefined;

beforeAll(async () => {
  delete process.env.REDIS_URL;
  database = await openFreshDatabase();
  ({ client } = database);
  notify = await import("@/lib/registry/notify");
});

afterAll(async () => {
  await notify?.stopRegistryWatch();
  await database?.close();
});

/** Waits (generously: the poll comes every 2 s) until `calls` reaches `n`. */
const reaches = (calls: () => number, n: number) => vi.waitFor(() => expect(calls()).toBeGreaterThanOrEqual(n), { timeout: 15_000, interval: 100 });

describe("registry watch by polling (no REDIS_URL)", () => {
  it("reports a model edited, a version added and a version removed — each made straight in the database", async () => {
    let calls = 0;
    const stop = notify.watchRegistry(() => calls++);
    await notify.registryWatchReady();
    expect(notify.registryChannelUp()).toBe(false);
    const db = client.db();
    const model = await db.model.findFirstOrThrow();

    await db.model.update({ where: { id: model.id }, data: { description: `${model.description} (edited)` } });
    await reaches(() => calls, 1);

    const before = calls;
    const v = await db.modelVersion.create({ data: { modelId: model.id, version: "poll-test", files: [], signature: [], options: {} } });
    await reaches(() => calls, before + 1);

    const again = calls;
    await db.modelVersion.delete({ where: { id: v.id } });
    await reaches(() => calls, again + 1);
    stop();
  });

  it("announcing a change runs this instance's watchers at once, without Redis", async () => {
    const seen: string[] = [];
    const stopA = notify.watchRegistry(() => seen.push("a"));
    const stopB = notify.watchRegistry(() => seen.push("b"));
    await notify.announceRegistryChange();
    expect(seen).toEqual(["a", "b"]);
    stopA();
    await notify.announceRegistryChange();
    expect(seen).toEqual(["a", "b", "b"]);
    stopB();
  });

  it("a watcher that throws does not keep the others from hearing of the change", async () => {
    let heard = 0;
    const stopBad = notify.watchRegistry(() => {
      throw new Error("reload failed");
    });
    const stopGood = notify.watchRegistry(() => heard++);
    await notify.announceRegistryChange();
    expect(heard).toBe(1);
    stopBad();
    stopGood();
  });
});
