// Prisma CLI config for the PostgreSQL schema (generate, migrate diff). Migrations are applied by
// lib/db/migrate.ts, because the Wasm schema engine cannot introspect PostgreSQL here.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

// The schema's url = env("DATABASE_URL") must resolve for the CLI to parse it, even for `generate`.
process.env.DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5432/test";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(import.meta.dirname, "postgres", "schema.prisma"),
  migrations: { path: path.join(import.meta.dirname, "postgres", "migrations") },
  async adapter() {
    return new PrismaPg({ connectionString: process.env.DATABASE_URL });
  },
});
