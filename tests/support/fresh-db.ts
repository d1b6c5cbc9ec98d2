/**
 * For tests that call lib/ directly (no server): a fresh database — SQLite, or PostgreSQL with
 * PARETO_TEST_DATABASE_URL — with this process pointed at it (DATABASE_URL, PARETO_DATA_DIR), migrated and seeded.
 */
import { freshDatabase } from "./server";

export interface OpenDatabase {
  url: string;
  dataDir: string;
  client: typeof import("@/lib/db/client");
  /** Disconnects and drops the database. */
  close: () => Promise<void>;
}

export async function openFreshDatabase(): Promise<OpenDatabase> {
  const fresh = await freshDatabase();
  process.env.DATABASE_URL = fresh.url;
  process.env.PARETO_DATA_DIR = fresh.dataDir;
  await (await import("@/lib/db/bootstrap")).migrateAndSeed();
  const client = await import("@/lib/db/client");
  return {
    url: fresh.url,
    dataDir: fresh.dataDir,
    client,
    close: async () => {
      await client.disconnectDb();
      await fresh.drop();
    },
  };
}
