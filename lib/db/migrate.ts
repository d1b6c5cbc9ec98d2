/**
 * Applies prisma/<provider>/migrations/<name>/migration.sql in name order, once each, recording them in
 * `_pareto_migrations`. Our own runner because Prisma's schema engine cannot run offline against PostgreSQL
 * here; SQLite uses the same runner so both providers start the same way. A migration that was edited after it
 * was applied is refused: history must only grow.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import type { DbTarget } from "./url";

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(provider: DbTarget["provider"], root = process.cwd()): Migration[] {
  const dir = path.join(root, "prisma", provider, "migrations");
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: crypto.createHash("sha256").update(sql).digest("hex") };
    });
}

function checkHistory(applied: Map<string, string>, migrations: Migration[]): Migration[] {
  for (const [name, checksum] of applied) {
    const m = migrations.find((x) => x.name === name);
    if (!m) throw new Error(`database has migration ${name}, which this version of Pareto does not know (downgrade?)`);
    if (m.checksum !== checksum) throw new Error(`migration ${name} was changed after it was applied`);
  }
  return migrations.filter((m) => !applied.has(m.name));
}

const TABLE = `CREATE TABLE IF NOT EXISTS "_pareto_migrations" (
  "name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "applied_at" TEXT NOT NULL)`;

export function migrateSqlite(file: string, root = process.cwd()): string[] {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    // WAL lets readers (dashboards) run while usage events are written.
    db.pragma("journal_mode = WAL");
    db.pragma("busy_timeout = 10000");
    db.exec(TABLE);
    const migrations = readMigrations("sqlite", root);
    const done: string[] = [];
    // IMMEDIATE takes the write lock up front, so two processes starting together apply each migration once.
    db.transaction(() => {
      const rows = db.prepare(`SELECT name, checksum FROM "_pareto_migrations"`).all() as { name: string; checksum: string }[];
      for (const m of checkHistory(new Map(rows.map((r) => [r.name, r.checksum])), migrations)) {
        db.exec(m.sql);
        db.prepare(`INSERT INTO "_pareto_migrations" (name, checksum, applied_at) VALUES (?, ?, ?)`).run(
          m.name, m.checksum, new Date().toISOString());
        done.push(m.name);
      }
    }).immediate();
    return done;
  } finally {
    db.close();
  }
}

export async function migratePostgres(url: string, root = process.cwd()): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // One instance migrates at a time; the others wait here and then find nothing to do.
    await client.query("SELECT pg_advisory_lock(727274)");
    await client.query(TABLE);
    const { rows } = await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM "_pareto_migrations"`);
    const pending = checkHistory(new Map(rows.map((r) => [r.name, r.checksum])), readMigrations("postgres", root));
    const done: string[] = [];
    for (const m of pending) {
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query(`INSERT INTO "_pareto_migrations" (name, checksum, applied_at) VALUES ($1, $2, $3)`, [
          m.name, m.checksum, new Date().toISOString()]);
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${m.name} failed: ${(e as Error).message}`);
      }
      done.push(m.name);
    }
    return done;
  } finally {
    await client.query("SELECT pg_advisory_unlock(727274)").catch(() => undefined);
    await client.end();
  }
}

export async function migrate(target: DbTarget, root = process.cwd()): Promise<string[]> {
  return target.provider === "sqlite" ? migrateSqlite(target.file, root) : migratePostgres(target.url, root);
}
