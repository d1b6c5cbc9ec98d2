import "server-only";
import { writeAudit } from "@/lib/db/audit";
import { findLinkedAccount, linkAccount } from "@/lib/db/accounts";
import { findPasswordHash, findUserById } from "@/lib/db/users";
import { ServiceError } from "@/lib/models/errors";
import { readLinkClaim } from "./link-token";
import { verifyThrottled } from "./throttle";

/** The account a link token points at, for the link page (null when the token is bad or expired). */
export async function linkTarget(token: string): Promise<{ email: string } | null> {
  const claim = readLinkClaim(token);
  return claim ? { email: claim.email } : null;
}

/**
 * Joins the GitHub identity named in a link token (issued by lib/auth/oauth.ts after GitHub verified the email) to
 * the account with that email, once the person proves the account's password. Wrong passwords count towards the
 * sign-in throttle of that email.
 */
export async function completeGitHubLink(input: { token: string; password: string }, address: string | null): Promise<{ email: string }> {
  const claim = readLinkClaim(input.token);
  if (!claim) throw new ServiceError("validation_error", "This link has expired or is not valid; continue with GitHub again.", { param: "token" });
  const row = await findPasswordHash(claim.uid);
  const user = await findUserById(claim.uid);
  if (!row?.passwordHash || !user || user.disabled || row.email !== claim.email) {
    throw new ServiceError("validation_error", "This link has expired or is not valid; continue with GitHub again.", { param: "token" });
  }
  const check = await verifyThrottled(row.email, row.passwordHash, input.password, address);
  if (typeof check === "object") throw new ServiceError("rate_limited", "Too many wrong passwords; try again later.", { retryAfterS: check.retryAfterS });
  if (check === "wrong") throw new ServiceError("invalid_credentials", "Wrong password for this account.", { param: "password" });
  const already = await findLinkedAccount(claim.provider, claim.providerAccountId);
  if (already && already.userId !== claim.uid) throw new ServiceError("conflict", "This GitHub account is already linked to another Pareto account.");
  if (!already) {
    await linkAccount({ userId: claim.uid, type: "oauth", provider: claim.provider, providerAccountId: claim.providerAccountId, scope: claim.scope, token_type: claim.tokenType });
  }
  await writeAudit({ actorId: claim.uid, actorEmail: row.email, action: "auth.link", targetType: "user", targetId: claim.uid, ip: address, details: { provider: claim.provider, providerAccountId: claim.providerAccountId } });
  return { email: row.email };
}
