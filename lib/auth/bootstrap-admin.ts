import "server-only";
import { env } from "@/lib/config/env";
import { writeAudit } from "@/lib/db/audit";
import { createUser, EmailTakenError, findUserByEmail, setUserPasswordAndRole } from "@/lib/db/users";
import { hashPassword } from "./password";

/**
 * Creates the administrator named by PARETO_ADMIN_EMAIL/PASSWORD, or brings an existing account in step with them
 * (password and ADMIN role). Runs after lib/db/bootstrap.ts's migrateAndSeed(); does nothing when neither is set.
 */
export async function ensureAdminFromEnv(): Promise<void> {
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
