import "server-only";
import { env } from "@/lib/config/env";
import { writeAudit } from "@/lib/db/audit";
import { createUser, EmailTakenError, findUserByEmail } from "@/lib/db/users";
import { log } from "@/lib/log";
import { hashPassword } from "./password";

type Existing = NonNullable<Awaited<ReturnType<typeof findUserByEmail>>>;

/**
 * Creates the administrator named by PARETO_ADMIN_EMAIL/PASSWORD when no account has that email. Runs after
 * lib/db/bootstrap.ts's migrateAndSeed(); does nothing when neither is set. An existing account is never changed:
 * whoever registered the address first may not be the operator (with open sign-up, anyone could have), so
 * promoting it — or resetting its password, which its owner's sessions and API keys would survive — would hand
 * them the admin role. A non-admin is refused, logged and audited; promotion is deliberate (`user:promote`).
 */
export async function ensureAdminFromEnv(): Promise<void> {
  const email = env.adminEmail();
  const password = env.adminPassword();
  if (!email && !password) return;
  if (!email || !password) throw new Error("set both PARETO_ADMIN_EMAIL and PARETO_ADMIN_PASSWORD, or neither");
  const existing = await findUserByEmail(email);
  if (existing) return checkExisting(existing);
  let user;
  try {
    user = await createUser({ email, passwordHash: await hashPassword(password), role: "ADMIN" });
  } catch (e) {
    // Another instance starting at the same moment created it first: judge it like an existing one.
    const raced = e instanceof EmailTakenError ? await findUserByEmail(email) : null;
    if (!raced) throw e;
    return checkExisting(raced);
  }
  await writeAudit({ action: "user.create", targetType: "user", targetId: user.id, details: { via: "env", role: "ADMIN" } });
  log("info", "created the admin account from PARETO_ADMIN_EMAIL", { userId: user.id });
}

async function checkExisting(user: Existing): Promise<void> {
  if (user.role === "ADMIN") return;
  log("warn", "PARETO_ADMIN_EMAIL names an existing account that is not an admin: left unchanged. If it is yours, promote it with `npm run pareto -- user:promote --email <email>`.", { userId: user.id });
  await writeAudit({ action: "admin.bootstrap_refused", targetType: "user", targetId: user.id, details: { via: "env", reason: "existing account is not an admin" } });
}
