import "server-only";
import { hashPassword } from "@/lib/auth/password";
import { env } from "@/lib/config/env";
import { writeAudit } from "./audit";
import { migrate } from "./migrate";
import { syncCatalog } from "./models";
import { seedPlans } from "./plans";
import { dbTarget } from "./url";
import { createUser, EmailTakenError, findUserByEmail, setUserPasswordAndRole } from "./users";

let ready: Promise<void> | undefined;

/** Migrates, seeds plans, mirrors the model catalog, and creates the admin from PARETO_ADMIN_EMAIL/PASSWORD. Idempotent; runs once per process. */
export function ensureDatabase(): Promise<void> {
  ready ??= (async () => {
    const applied = await migrate(dbTarget());
    if (applied.length) console.log(`[pareto] applied migrations: ${applied.join(", ")}`);
    await seedPlans();
    await syncCatalog();
    await ensureEnvAdmin();
  })();
  ready.catch(() => (ready = undefined));
  return ready;
}

async function ensureEnvAdmin(): Promise<void> {
  const email = env.adminEmail();
  const password = env.adminPassword();
  if (!email && !password) return;
  if (!email || !password) throw new Error("set both PARETO_ADMIN_EMAIL and PARETO_ADMIN_PASSWORD, or neither");
  const existing = await findUserByEmail(email);
  // The env is the source of truth for this account: keep its password and role in step with it.
  const passwordHash = await hashPassword(password);
  if (existing) {
    await setUserPasswordAndRole(existing.id, passwordHash, "ADMIN");
    return;
  }
  let user;
  try {
    user = await createUser({ email, passwordHash, role: "ADMIN" });
  } catch (e) {
    // Another instance starting at the same moment created it first: bring it in step like an existing one.
    const raced = e instanceof EmailTakenError ? await findUserByEmail(email) : null;
    if (!raced) throw e;
    await setUserPasswordAndRole(raced.id, passwordHash, "ADMIN");
    return;
  }
  await writeAudit({ action: "user.create", targetType: "user", targetId: user.id, details: { via: "env", role: "ADMIN" } });
  console.log(`[pareto] created admin ${user.email} from PARETO_ADMIN_EMAIL`);
}
