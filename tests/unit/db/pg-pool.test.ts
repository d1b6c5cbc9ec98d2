import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { resilientPool } from "@/lib/db/pg-pool";
import { PG_BASE_URL, pgReachable } from "../../support/infra";
import { TcpProxy } from "../../support/tcp-proxy";

const reachable = await pgReachable();
if (!reachable) console.warn(`pg-pool: skipped — PostgreSQL not reachable at ${PG_BASE_URL}`);

describe.skipIf(!reachable)("resilientPool (the PostgreSQL pool behind Prisma)", () => {
  let proxy: TcpProxy;
  let url: string;
  const pools: pg.Pool[] = [];

  beforeAll(async () => {
    const real = new URL(PG_BASE_URL);
    proxy = new TcpProxy({ host: real.hostname, port: Number(real.port || 5432) });
    const via = new URL(PG_BASE_URL);
    via.hostname = "127.0.0.1";
    via.port = String(await proxy.start());
    url = via.toString();
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
    await proxy?.cut();
  });

  it("reclaims the slot of a client whose connection died mid-transaction and that nobody released", async () => {
    // One slot: without reclaiming, the second connect() below would wait forever.
    const pool = resilientPool(url, { max: 1, leakGraceMs: 300 });
    pools.push(pool);
    const lost = await pool.connect();
    lost.on("error", () => undefined); // as Prisma's transaction does
    await lost.query("BEGIN");
    await proxy.cut();
    await proxy.start();
    // Like Prisma 6 after its ROLLBACK failed on the dead connection: `lost` is never released.
    const next = await pool.connect();
    expect((await next.query<{ one: number }>("SELECT 1 AS one")).rows[0].one).toBe(1);
    next.release();
    expect(pool.totalCount).toBe(1);
  });

  it("fails a wait for a free client after the connection timeout instead of hanging", async () => {
    const pool = resilientPool(url, { max: 1, connectionTimeoutMs: 200 });
    pools.push(pool);
    const held = await pool.connect();
    await expect(pool.connect()).rejects.toThrow(/timeout exceeded when trying to connect/);
    held.release();
  });

  it("leaves healthy clients alone", async () => {
    const pool = resilientPool(url, { max: 2, leakGraceMs: 100 });
    pools.push(pool);
    const a = await pool.connect();
    await new Promise((r) => setTimeout(r, 300));
    expect((await a.query<{ one: number }>("SELECT 1 AS one")).rows[0].one).toBe(1);
    a.release();
    expect(pool.idleCount).toBe(1);
  });
});
