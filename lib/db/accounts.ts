import "server-only";
import { db } from "./client";

/** The OAuth account linked to a provider's user id, with its Pareto user. */
export function findLinkedAccount(provider: string, providerAccountId: string) {
  return db().account.findUnique({
    where: { provider_providerAccountId: { provider, providerAccountId } },
    include: { user: true },
  });
}

/** Records that a provider's account signs in as this user. */
export async function linkAccount(a: { userId: string; type: string; provider: string; providerAccountId: string; scope: string | null; token_type: string | null }): Promise<void> {
  await db().account.create({ data: a });
}
