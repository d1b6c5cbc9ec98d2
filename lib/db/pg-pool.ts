/**
 * The PostgreSQL connection pool behind Prisma, hardened against connections that die while checked out.
 *
 * Prisma 6's transaction manager returns a transaction's connection to the pool only after its COMMIT or ROLLBACK
 * succeeded. When the database connection drops mid-transaction (a restart, a failover, a network cut), that
 * ROLLBACK fails too, so the client is never released: after `max` such losses every query waits forever for a
 * free client and the instance hangs until it is restarted (tests/integration/faults.test.ts reproduces it).
 *
 * Here a client whose connection ended while it was checked out, and that is still checked out a grace period
 * later (Prisma's transaction timeout is 5 s), is released with an error, which removes it from the pool and frees
 * its slot. Plain queries release their client themselves on error, long before that. Waiting for a free client is
 * bounded too, so an exhausted pool answers with an error (a 503 upstream) instead of hanging.
 */
import pg from "pg";

export interface ResilientPoolOptions {
  max?: number;
  /** How long a client that lost its connection may stay checked out before its slot is reclaimed. */
  leakGraceMs?: number;
  /** How long a query may wait for a free client before it fails. */
  connectionTimeoutMs?: number;
}

export function resilientPool(connectionString: string, opts: ResilientPoolOptions = {}): pg.Pool {
  const { max = 10, leakGraceMs = 15_000, connectionTimeoutMs = 10_000 } = opts;
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: connectionTimeoutMs });
  const checkedOut = new Set<pg.PoolClient>();
  pool.on("acquire", (client) => checkedOut.add(client));
  pool.on("release", (_err, client) => checkedOut.delete(client));
  pool.on("remove", (client) => checkedOut.delete(client as pg.PoolClient));
  pool.on("connect", (client) => {
    client.on("end", () => {
      if (!checkedOut.has(client as pg.PoolClient)) return;
      setTimeout(() => {
        const c = client as pg.PoolClient;
        if (!checkedOut.has(c)) return;
        checkedOut.delete(c);
        try {
          c.release(new Error("connection lost while checked out; its holder never released it"));
        } catch {
          /* released meanwhile */
        }
      }, leakGraceMs).unref();
    });
  });
  return pool;
}
