import "server-only";
import { writeAudit } from "@/lib/db/audit";
import { createUser, EmailTakenError, InviteInvalidError } from "@/lib/db/users";
import { ServiceError } from "@/lib/models/errors";
import { hashInviteToken } from "./invites";
import { hashPassword } from "./password";
import { admitSignupFrom, signupMode } from "./signup-policy";

/**
 * Creates a password account, as PARETO_SIGNUP allows: anyone (open), holders of an unused invite (invite), or
 * nobody (closed). Attempts are rate limited per client address. The first account of an installation becomes
 * ADMIN unless PARETO_ADMIN_EMAIL names the administrator (lib/db/users.ts).
 */
export async function signUp(input: { email: string; password: string; name?: string; invite?: string }, locale: string, address: string | null) {
  const mode = signupMode();
  if (mode === "closed") throw new ServiceError("signup_closed", "Sign-up is closed on this installation; ask an administrator for an account.");
  if (mode === "invite" && !input.invite) throw new ServiceError("invite_required", "Sign-up on this installation needs an invite link from an administrator.", { param: "invite" });
  await admitSignupFrom(address);
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await createUser({
      email: input.email,
      name: input.name || null,
      passwordHash,
      role: "auto",
      locale,
      inviteHash: input.invite ? hashInviteToken(input.invite) : undefined,
    });
    await writeAudit({ actorId: user.id, actorEmail: user.email, action: "user.signup", targetType: "user", targetId: user.id, ip: address, details: { role: user.role, invited: Boolean(input.invite) } });
    return user;
  } catch (e) {
    if (e instanceof EmailTakenError) throw new ServiceError("email_taken", "An account with this email already exists.", { param: "email" });
    if (e instanceof InviteInvalidError) throw new ServiceError("invalid_invite", "This invite link is not valid: it was used, revoked, expired, or is for another address.", { param: "invite" });
    throw e;
  }
}
