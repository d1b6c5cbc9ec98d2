/**
 * Infrastructure for tests that go beyond one server on one database: direct SQL on the server's database (SQLite
 * file or PostgreSQL), dedicated PostgreSQL databases and Redis databases, and the server's process tree.
 */
import { execFileSync } from "node:child_process";
import net from "node:net";
import path from "node:path";
import Database from "better-sqlite3";
import { Redis } from "ioredis";
import pg from "pg";

/** Where to create dedicated PostgreSQL databases: the CI test database's server, else the local default. */
export const PG_BASE_URL = process.env.PARETO_TEST_DATABASE_URL ?? process.env.PARETO_TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
export const REDIS_BASE_URL = process.env.PARETO_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

function tcpReachable(url: string, defaultPort: number): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = net.connect({ host: u.hostname, port: Number(u.port || defaultPort) });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(2_000, () => done(false));
    s.once("connect", () => done(true));
    s.once("error", () => done(false));
  });
}

export async function pgReachable(): Promise<boolean> {
  if (!(await tcpReachable(PG_BASE_URL, 5432))) return false;
  const c = new pg.Client({ connectionString: PG_BASE_URL, connectionTimeoutMillis: 3_000 });
  try {
    await c.connect();
    await c.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

export async function redisReachable(): Promise<boolean> {
  if (!(await tcpReachable(REDIS_BASE_URL, 6379))) return false;
  const r = new Redis(REDIS_BASE_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await r.connect();
    return (await r.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

/**
 * A new, empty PostgreSQL database on the test server, whatever the run's own database is. Named like
 * freshDatabase()'s, so scripts/reset-test-db.mjs drops any an interrupted run leaves behind.
 */
export async function pgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `pareto_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: PG_BASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(PG_BASE_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_BASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A Redis database index of the test's own (8–15, away from the default 0), emptied first. */
export async function redisDatabase(): Promise<{ url: string; close: () => Promise<void> }> {
  const index = 8 + Math.floor(Math.random() * 8);
  const url = `${REDIS_BASE_URL.replace(/\/\d*$/, "")}/${index}`;
  const r = new Redis(url, { maxRetriesPerRequest: 1 });
  await r.flushdb();
  return {
    url,
    close: async () => {
      await r.flushdb().catch(() => undefined);
      r.disconnect();
    },
  };
}

/** Direct SQL on a server's database (`file:…` SQLite or `postgres…`), for assertions the API does not expose. */
export class DirectDb {
  private sqlite?: Database.Database;
  private pool?: pg.Pool;

  constructor(readonly url: string) {
    if (/^postgres(ql)?:\/\//.test(url)) this.pool = new pg.Pool({ connectionString: url, max: 2 });
    else this.sqlite = new Database(path.resolve(url.replace(/^file:/, "")), { fileMustExist: true });
  }

  get provider(): "sqlite" | "postgres" {
    return this.pool ? "postgres" : "sqlite";
  }

  /** `$1, $2 …` placeholders, each used once and in order (rewritten to `?` for SQLite). */
  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (this.pool) return (await this.pool.query(sql, params)).rows as T[];
    const p = params.map((v) => (v instanceof Date ? v.getTime() : typeof v === "boolean" ? Number(v) : v));
    return this.sqlite!.prepare(sql.replace(/\$\d+/g, "?")).all(...p) as T[];
  }

  async tables(): Promise<string[]> {
    const rows =
      this.provider === "postgres"
        ? await this.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")
        : await this.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    return rows.map((r) => r.name).sort();
  }

  /** Every row of every table, every column, as text (buffers both as UTF-8 and hex). */
  async dump(): Promise<string> {
    const out: string[] = [];
    for (const t of await this.tables()) {
      for (const row of await this.query(`SELECT * FROM "${t}"`)) {
        const cells = Object.entries(row).map(([k, v]) => {
          if (Buffer.isBuffer(v)) return `${k}=${v.toString("utf8")} ${v.toString("hex")}`;
          if (v instanceof Date) return `${k}=${v.toISOString()}`;
          return `${k}=${typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)}`;
        });
        out.push(`${t}: ${cells.join(" | ")}`);
      }
    }
    return out.join("\n");
  }

  async close(): Promise<void> {
    this.sqlite?.close();
    await this.pool?.end();
  }
}

/** Direct children of a process (the Next.js server under scripts/start.mjs). */
export function childPids(pid: number): number[] {
  try {
    return execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" }).split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when there are none
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resident memory of a process in bytes (Linux /proc), or null when it is gone. */
export function rssBytes(pid: number): number | null {
  try {
    const out = execFileSync("ps", ["-o", "rss=", "-p", String(pid)], { encoding: "utf8" }).trim();
    return out ? Number(out) * 1024 : null;
  } catch {
    return null;
  }
}
