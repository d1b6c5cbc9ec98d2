import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../../..");
const read = (p: string) => fs.readFileSync(path.join(root, p), "utf8");

/** The model part of a generated schema: everything after its datasource block. */
function models(schema: string): string {
  const i = schema.indexOf("datasource db {");
  return schema.slice(schema.indexOf("}", i) + 1).trim();
}

/** model/enum name → sorted field lines, whitespace-normalised. */
function shape(schema: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of schema.matchAll(/^(model|enum)\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    out[`${m[1]} ${m[2]}`] = m[3]
      .split("\n")
      .map((l) => l.replace(/\/\/.*$/, "").trim().replace(/\s+/g, " "))
      .filter(Boolean)
      .sort();
  }
  return out;
}

describe("SQLite and PostgreSQL schemas", () => {
  const sqlite = read("prisma/sqlite/schema.prisma");
  const postgres = read("prisma/postgres/schema.prisma");

  it("are regenerated from prisma/schema.models.prisma (no hand edits, nothing stale)", () => {
    execFileSync(process.execPath, [path.join(root, "scripts/prisma-schemas.mjs"), "--check"], { cwd: root, stdio: "pipe" });
  });

  it("declare identical models, fields and enums", () => {
    expect(models(sqlite)).toBe(models(postgres));
    const a = shape(sqlite);
    expect(Object.keys(a).length).toBeGreaterThanOrEqual(14);
    expect(shape(postgres)).toEqual(a);
  });

  it.each(["sqlite", "postgres"])("%s: the last migration's snapshot matches the schema (no un-migrated change)", (provider) => {
    const snapshot = read(`prisma/${provider}/migrations/.schema.prisma`);
    expect(shape(snapshot)).toEqual(shape(read(`prisma/${provider}/schema.prisma`)));
  });

  it("both providers have the same migrations", () => {
    const names = (p: string) => fs.readdirSync(path.join(root, "prisma", p, "migrations")).filter((n) => !n.startsWith(".")).sort();
    expect(names("postgres")).toEqual(names("sqlite"));
  });

  it("indexes the dashboard queries (usage by user, key, model and time)", () => {
    const usage = shape(sqlite)["model UsageEvent"].join("\n");
    for (const idx of ["@@index([userId, createdAt])", "@@index([apiKeyId, createdAt])", "@@index([modelId, createdAt])", "@@index([createdAt])"]) {
      expect(usage).toContain(idx);
    }
  });
});
