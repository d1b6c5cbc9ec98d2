// Prisma CLI config for the SQLite schema (generate, migrate diff). The JS engine keeps the CLI offline.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

const url = process.env.DATABASE_URL?.startsWith("file:") ? process.env.DATABASE_URL : "file:./data/pareto.db";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(import.meta.dirname, "sqlite", "schema.prisma"),
  migrations: { path: path.join(import.meta.dirname, "sqlite", "migrations") },
  async adapter() {
    return new PrismaBetterSQLite3({ url });
  },
});
