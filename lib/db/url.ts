import path from "node:path";
import { env } from "@/lib/config/env";

export type DbTarget = { provider: "sqlite"; file: string } | { provider: "postgres"; url: string };

/** Resolves DATABASE_URL: `postgres(ql)://` → PostgreSQL; `file:` or unset → a SQLite file (default data/pareto.db). */
export function dbTarget(): DbTarget {
  const url = env.databaseUrl();
  if (!url) return { provider: "sqlite", file: path.join(env.dataDir(), "pareto.db") };
  if (/^postgres(ql)?:\/\//i.test(url)) return { provider: "postgres", url };
  if (url.startsWith("file:")) {
    const p = url.slice("file:".length);
    return { provider: "sqlite", file: path.isAbsolute(p) ? p : path.resolve(/*turbopackIgnore: true*/ process.cwd(), p) };
  }
  throw new Error(`DATABASE_URL must start with postgres://, postgresql:// or file: (got "${url.split(":")[0]}:…")`);
}
