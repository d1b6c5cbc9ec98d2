import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { migrateSqlite, readMigrations } from "@/lib/db/migrate";

const root = path.resolve(__dirname, "../../..");

function tempProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pareto-mig-"));
  fs.cpSync(path.join(root, "prisma", "sqlite", "migrations"), path.join(dir, "prisma", "sqlite", "migrations"), { recursive: true });
  return dir;
}

describe("migration runner (SQLite)", () => {
  it("applies every migration once, in WAL mode, and is idempotent", () => {
    const dir = tempProject();
    const file = path.join(dir, "data", "x.db");
    const first = migrateSqlite(file, dir);
    expect(first).toEqual(readMigrations("sqlite", dir).map((m) => m.name));
    expect(migrateSqlite(file, dir)).toEqual([]);
    const db = new Database(file);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all().map((r) => (r as { name: string }).name);
    for (const t of ["User", "Plan", "ApiKey", "Model", "ModelBenchmark", "UsageEvent", "QuotaCounter", "AuditLog", "Account", "Session"]) {
      expect(tables).toContain(t);
    }
    db.close();
  });

  it("refuses to start when an applied migration was edited", () => {
    const dir = tempProject();
    const file = path.join(dir, "data", "x.db");
    migrateSqlite(file, dir);
    const [m] = readMigrations("sqlite", dir);
    fs.appendFileSync(path.join(dir, "prisma", "sqlite", "migrations", m.name, "migration.sql"), "\n-- edited\n");
    expect(() => migrateSqlite(file, dir)).toThrow(/changed after it was applied/);
  });

  it("rolls back a failing migration completely", () => {
    const dir = tempProject();
    const bad = path.join(dir, "prisma", "sqlite", "migrations", "99999999999999_bad");
    fs.mkdirSync(bad);
    fs.writeFileSync(path.join(bad, "migration.sql"), 'CREATE TABLE "Half" (id TEXT);\nTHIS IS NOT SQL;');
    const file = path.join(dir, "data", "x.db");
    expect(() => migrateSqlite(file, dir)).toThrow();
    const db = new Database(file);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all().map((r) => (r as { name: string }).name);
    expect(tables).not.toContain("Half");
    expect(tables).not.toContain("User"); // the whole batch is one transaction
    db.close();
  });
});
