/**
 * Start-time database work, run by scripts/start.mjs before the web server starts (and by tests):
 * apply migrations, seed plans, create the admin from PARETO_ADMIN_EMAIL/PASSWORD.
 * Run with the react-server condition (see package.json) so lib/ modules marked `server-only` load.
 */
import { disconnectDb } from "@/lib/db/client";
import { ensureAdminFromEnv } from "@/lib/auth/bootstrap-admin";
import { migrateAndSeed } from "@/lib/db/bootstrap";
import { dbTarget } from "@/lib/db/url";

const target = dbTarget();
migrateAndSeed()
  .then(ensureAdminFromEnv)
  .then(async () => {
    console.log(`[pareto] database ready (${target.provider === "sqlite" ? target.file : "postgresql"})`);
    await disconnectDb();
  })
  .catch(async (e: unknown) => {
    console.error(`[pareto] database bootstrap failed: ${e instanceof Error ? e.message : String(e)}`);
    await disconnectDb().catch(() => undefined);
    process.exit(1);
  });
