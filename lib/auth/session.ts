import "server-only";
import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { findUserById } from "@/lib/db/users";
import { authOptions } from "./options";
import { canAccess } from "./roles";

export type SessionUser = NonNullable<Awaited<ReturnType<typeof findUserById>>>;

/**
 * The signed-in user, read fresh from the database on every request: a role change, a disabled account or ended
 * sessions (sign-out, password change) take effect at once, whatever the (stateless) session cookie still says.
 * The jwt callback already refused a cookie of an older session version; the same check here, on the row this
 * function reads anyway, closes the gap of a change landing between the two reads.
 */
export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions);
  const uid = session?.user?.id;
  if (!uid) return null;
  const user = await findUserById(uid);
  if (!user || user.disabled || user.sessionVersion !== (session.user.sv ?? 0)) return null;
  return user;
}

/** For pages: visitors are sent to sign in and brought back afterwards. */
export async function requireUser(returnTo: string): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}

/** For pages: visitors sign in; signed-in non-admins get the 403 page. */
export async function requireAdmin(returnTo: string): Promise<SessionUser> {
  const user = await requireUser(returnTo);
  if (!canAccess(user.role, "admin")) forbidden();
  return user;
}
