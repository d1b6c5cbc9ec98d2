import "server-only";
import type { Account, Profile, User } from "next-auth";
import { findLinkedAccount, linkAccount } from "@/lib/db/accounts";
import { createUser, findUserByEmail } from "@/lib/db/users";

/**
 * Finds or creates the Pareto user for an OAuth sign-in and records the linked account. Returns the user's id,
 * role and locale for the session, or null when the provider gave no email or the account is disabled.
 */
export async function linkOAuthUser(account: Account, profile: Profile | undefined, user: User) {
  const existing = await findLinkedAccount(account.provider, account.providerAccountId);
  let u = existing?.user ?? null;
  if (!u) {
    const email = (user.email ?? profile?.email ?? "").toLowerCase();
    if (!email) return null;
    u = (await findUserByEmail(email)) ?? null;
    if (!u) {
      const created = await createUser({ email, name: user.name ?? profile?.name ?? null, image: user.image ?? null, role: "auto" });
      u = await findUserByEmail(created.email);
    }
    if (!u) return null;
    await linkAccount({
      userId: u.id,
      type: account.type,
      provider: account.provider,
      providerAccountId: account.providerAccountId,
      scope: account.scope ?? null,
      token_type: account.token_type ?? null,
    });
  }
  if (u.disabled) return null;
  return { id: u.id, role: u.role, locale: u.locale };
}
