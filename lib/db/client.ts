/**
 * The one Prisma client, on SQLite (default) or PostgreSQL (DATABASE_URL=postgres://…). Both generated clients
 * come from the same models (prisma/schema.models.prisma), so the SQLite client's type describes either.
 * Kept on globalThis so dev-mode reloads and the instrumentation hook share one connection pool.
 */
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/sqlite/client";
import { PrismaClient as PgPrismaClient } from "./generated/postgres/client";
import { dbTarget } from "./url";

export type Db = InstanceType<typeof PrismaClient>;
export { Prisma } from "./generated/sqlite/client";
export type { Role, ModelState } from "./generated/sqlite/client";

const globalForDb = globalThis as unknown as { __paretoDb?: Db };

function create(): Db {
  const target = dbTarget();
  if (target.provider === "postgres") {
    const adapter = new PrismaPg({ connectionString: target.url, max: 10 });
    return new PgPrismaClient({ adapter }) as unknown as Db;
  }
  // busy timeout: concurrent writers wait for the WAL lock instead of failing with SQLITE_BUSY.
  const adapter = new PrismaBetterSQLite3({ url: `file:${target.file}`, timeout: 10_000 });
  return new PrismaClient({ adapter });
}

export function db(): Db {
  globalForDb.__paretoDb ??= create();
  return globalForDb.__paretoDb;
}

export async function disconnectDb(): Promise<void> {
  const d = globalForDb.__paretoDb;
  globalForDb.__paretoDb = undefined;
  await d?.$disconnect();
}

export function isPostgres(): boolean {
  return dbTarget().provider === "postgres";
}
