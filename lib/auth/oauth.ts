import "server-only";
import type { Account, Profile, User } from "next-auth";
import { writeAudit } from "@/lib/db/audit";
import { findLinkedAccount, linkAccount } from "@/lib/db/accounts";
import { createUser, EmailTakenError, findUserByEmail, normalizeEmail } from "@/lib/db/users";
import { log } from "@/lib/log";
import type { GitHubProfile } from "./github";
import { signLinkClaim } from "./link-token";
import { signupMode } from "./signup-policy";

/** What the signIn callback does: sign this user in, or send the browser to a page (link step or an error). */
export type OAuthOutcome = { user: { id: string; role: "USER" | "ADMIN"; locale: string; sessionVersion: number } } | { redirect: string };

const refuse = (error: string): OAuthOutcome => ({ redirect: `/signin?error=${error}` });

/**
 * Decides a GitHub sign-in. An identity already linked signs in as its user. Otherwise GitHub must report the email
 * verified; then a new address gets a new account (when sign-up is open), and an address that already has an
 * account is NOT joined to it here: whoever holds the GitHub identity must prove that account's password once
 * (/signin/link → lib/auth/github-link.ts). Otherwise an attacker who registered the victim's address with a
 * password would receive the victim's GitHub sign-ins (account pre-hijack).
 */
export async function resolveOAuthSignIn(account: Account, profile: Profile | undefined, user: User): Promise<OAuthOutcome> {
  const linked = await findLinkedAccount(account.provider, account.providerAccountId);
  if (linked) {
    if (linked.user.disabled) return refuse("disabled");
    return { user: { id: linked.user.id, role: linked.user.role, locale: linked.user.locale, sessionVersion: linked.user.sessionVersion } };
  }
  const gh = profile as GitHubProfile | undefined;
  const email = normalizeEmail(user.email ?? gh?.email ?? "");
  const verified = Boolean(email) && (gh?.pareto_emails ?? []).some((e) => e.verified && normalizeEmail(e.email) === email);
  if (!verified) return refuse("GitHubEmailUnverified");

  const existing = await findUserByEmail(email);
  if (existing) {
    if (existing.disabled) return refuse("disabled");
    // An account without a password is another OAuth identity's: nothing this person could prove.
    if (!existing.passwordHash) return refuse("GitHubLinkUnavailable");
    const token = signLinkClaim({ uid: existing.id, email, provider: "github", providerAccountId: account.providerAccountId, scope: account.scope ?? null, tokenType: account.token_type ?? null });
    await writeAudit({ action: "auth.link_requested", targetType: "user", targetId: existing.id, details: { provider: account.provider, providerAccountId: account.providerAccountId } });
    return { redirect: `/signin/link?token=${encodeURIComponent(token)}` };
  }

  if (signupMode() !== "open") return refuse("SignupClosed");
  let created;
  try {
    created = await createUser({ email, name: user.name ?? gh?.name ?? null, image: user.image ?? null, role: "auto", emailVerified: new Date() });
  } catch (e) {
    if (e instanceof EmailTakenError) return refuse("OAuthAccountNotLinked"); // raced with a sign-up for the same address
    throw e;
  }
  await linkAccount({ userId: created.id, type: account.type, provider: account.provider, providerAccountId: account.providerAccountId, scope: account.scope ?? null, token_type: account.token_type ?? null });
  await writeAudit({ actorId: created.id, actorEmail: created.email, action: "user.signup", targetType: "user", targetId: created.id, details: { via: account.provider, role: created.role } });
  log("info", "account created from GitHub sign-in", { userId: created.id });
  return { user: { id: created.id, role: created.role, locale: created.locale, sessionVersion: 0 } };
}
