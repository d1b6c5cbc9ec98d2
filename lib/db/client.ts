/**
 * The one Prisma client, on SQLite (default) or PostgreSQL (DATABASE_URL=postgres://…). Both generated clients
 * come from the same models (prisma/schema.models.prisma), so the SQLite client's type describes either.
 * Kept on globalThis so dev-mode reloads and the instrumentation hook share one connection pool.
 */
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/sqlite/client";
import type pg from "pg";
import { PrismaClient as PgPrismaClient } from "./generated/postgres/client";
import { resilientPool } from "./pg-pool";
import { dbTarget } from "./url";

export type Db = InstanceType<typeof PrismaClient>;
export { Prisma } from "./generated/sqlite/client";
export type { Role, ModelState } from "./generated/sqlite/client";

const globalForDb = globalThis as unknown as { __paretoDb?: Db; __paretoPgPool?: pg.Pool };

/**
 * Interactive transactions (quota reserve/settle) may wait for a pooled connection as long as a query may (10 s),
 * not Prisma's default 2 s: under a burst they queue briefly instead of failing.
 */
const transactionOptions = { maxWait: 10_000, timeout: 10_000 };

function create(): Db {
  const target = dbTarget();
  if (target.provider === "postgres") {
    // Our own pool (see pg-pool.ts): connections lost mid-transaction must not leak and hang the instance.
    const pool = resilientPool(target.url, { max: 10 });
    globalForDb.__paretoPgPool = pool;
    const adapter = new PrismaPg(pool, { disposeExternalPool: true });
    return new PgPrismaClient({ adapter, transactionOptions }) as unknown as Db;
  }
  // busy timeout: concurrent writers wait for the WAL lock instead of failing with SQLITE_BUSY.
  const adapter = new PrismaBetterSQLite3({ url: `file:${target.file}`, timeout: 10_000 });
  const client = new PrismaClient({ adapter, transactionOptions });
  // WAL + synchronous=NORMAL: commits no longer wait for an fsync each (WAL stays consistent across crashes; at
  // worst the last moments before a power cut are lost). Quota and usage writes are on every request's path.
  void client.$executeRawUnsafe("PRAGMA synchronous = NORMAL").catch(() => undefined);
  return client;
}

export function db(): Db {
  globalForDb.__paretoDb ??= create();
  return globalForDb.__paretoDb;
}

export async function disconnectDb(): Promise<void> {
  const d = globalForDb.__paretoDb;
  globalForDb.__paretoDb = undefined;
  globalForDb.__paretoPgPool = undefined;
  await d?.$disconnect();
}

/**
 * The pool behind the PostgreSQL client (null on SQLite), for the few statements Prisma's adapter makes slow:
 * it passes `Bytes` through its engine re-encoded — model file chunks (lib/db/model-blobs.ts) moved at ~1.5 MB/s
 * through Prisma against 10–30 MB/s through pg on the same (busy, 2-core) host.
 */
export function pgPool(): pg.Pool | null {
  db();
  return globalForDb.__paretoPgPool ?? null;
}

export function isPostgres(): boolean {
  return dbTarget().provider === "postgres";
}
