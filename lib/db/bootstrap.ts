import "server-only";
import { migrate } from "./migrate";
import { syncCatalog } from "./models";
import { seedPlans } from "./plans";
import { dbTarget } from "./url";

let ready: Promise<void> | undefined;

/**
 * Applies migrations, seeds plans and mirrors the model catalog. Idempotent; runs once per process (a failed
 * attempt is forgotten, so the next call tries again). The admin from PARETO_ADMIN_EMAIL/PASSWORD is made
 * afterwards by lib/auth/bootstrap-admin.ts, since it needs the password hashing of lib/auth.
 */
export function migrateAndSeed(): Promise<void> {
  ready ??= (async () => {
    const applied = await migrate(dbTarget());
    if (applied.length) console.log(`[pareto] applied migrations: ${applied.join(", ")}`);
    await seedPlans();
    await syncCatalog();
  })();
  ready.catch(() => (ready = undefined));
  return ready;
}
