/**
 * Usage events are written with one raw multi-row INSERT (lib/db/usage-events.ts), not Prisma's createMany: what
 * Prisma reads back — every field, and time-range filters at the exact boundaries — must be the same as if Prisma
 * had written them, on SQLite and on PostgreSQL (PARETO_TEST_DATABASE_URL).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../support/server";

let drop: () => Promise<void> = async () => undefined;
type Db = typeof import("@/lib/db/client");
let client: Db;
let insert: typeof import("@/lib/db/usage-events").insertUsageEvents;

beforeAll(async () => {
  const fresh = await freshDatabase();
  drop = fresh.drop;
  process.env.DATABASE_URL = fresh.url;
  process.env.PARETO_DATA_DIR = fresh.dataDir;
  await (await import("@/lib/db/bootstrap")).migrateAndSeed();
  client = await import("@/lib/db/client");
  insert = (await import("@/lib/db/usage-events")).insertUsageEvents;
});

afterAll(async () => {
  await client?.disconnectDb();
  await drop();
});

const event = (i: number, createdAt: Date) => ({
  requestId: `req_events_${i}`,
  userId: i % 2 ? null : `user_${i}`,
  apiKeyId: i % 3 ? `key_${i}` : null,
  modelId: i === 0 ? null : "silero-vad-v5",
  modelVersion: i === 2 ? "2.0.0" : null,
  source: "api",
  route: "/api/v1/vad",
  method: "POST",
  status: i === 1 ? 402 : 200,
  errorCode: i === 1 ? "quota_exceeded" : null,
  latencyMs: 5.25 + i,
  computeMs: 4.125,
  units: 1.5,
  unitKind: "audio_s",
  bytesIn: 32_044,
  bytesOut: 211,
  createdAt,
});

describe("usage events written in one raw INSERT", () => {
  it("read back by Prisma field for field, ordered and filtered by time exactly at the boundaries", async () => {
    const t0 = new Date(Date.UTC(2026, 10, 30, 12, 0, 0, 0));
    const at = (ms: number) => new Date(t0.getTime() + ms);
    const events = [0, 1, 2, 3, 4, 5].map((i) => event(i, at(i * 250 + (i === 5 ? 1 : 0))));
    await insert(events);
    const db = client.db();
    const rows = await db.usageEvent.findMany({ where: { requestId: { startsWith: "req_events_" } }, orderBy: { createdAt: "asc" } });
    expect(rows.map((r) => ({ ...r, id: undefined }))).toEqual(events.map((e) => ({ ...e, id: undefined })));
    expect(new Set(rows.map((r) => r.id)).size).toBe(events.length);
    // gte / lt at exact millisecond boundaries, as the usage pages and the CSV export filter.
    const between = await db.usageEvent.findMany({ where: { requestId: { startsWith: "req_events_" }, createdAt: { gte: at(250), lt: at(1000) } }, orderBy: { createdAt: "asc" } });
    expect(between.map((r) => r.requestId)).toEqual(["req_events_1", "req_events_2", "req_events_3"]);
    const fromOdd = await db.usageEvent.count({ where: { requestId: { startsWith: "req_events_" }, createdAt: { gte: at(1251) } } });
    expect(fromOdd).toBe(1);
  });

  it("an empty batch writes nothing; more rows than one statement takes are all written; a duplicate request id fails the batch", async () => {
    await insert([]);
    const t = new Date(Date.UTC(2026, 10, 30, 13));
    const many = Array.from({ length: 1_234 }, (_, i) => ({ ...event(i, t), requestId: `req_many_${i}` }));
    await insert(many);
    expect(await client.db().usageEvent.count({ where: { requestId: { startsWith: "req_many_" } } })).toBe(1_234);
    await expect(insert([{ ...event(9, t), requestId: "req_many_7" }])).rejects.toThrow();
  });
});
