import "server-only";
import { writeAudit } from "@/lib/db/audit";
import { createUser, EmailTakenError } from "@/lib/db/users";
import { ServiceError } from "@/lib/models/errors";
import { hashPassword } from "./password";

/** Creates a password account; the first account of an installation becomes ADMIN. */
export async function signUp(input: { email: string; password: string; name?: string }, locale: string, ip: string | null) {
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await createUser({ email: input.email, name: input.name || null, passwordHash, role: "auto", locale });
    await writeAudit({ actorId: user.id, actorEmail: user.email, action: "user.signup", targetType: "user", targetId: user.id, ip, details: { role: user.role } });
    return user;
  } catch (e) {
    if (e instanceof EmailTakenError) throw new ServiceError("email_taken", "An account with this email already exists.", { param: "email" });
    throw e;
  }
}
