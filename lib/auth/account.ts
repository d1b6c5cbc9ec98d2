import "server-only";
import { writeAudit } from "@/lib/db/audit";
import { findPasswordHash, setUserPassword } from "@/lib/db/users";
import { ServiceError } from "@/lib/models/errors";
import { hashPassword } from "./password";
import type { SessionUser } from "./session";
import { verifyThrottled } from "./throttle";

/**
 * Changes the signed-in user's password after checking the current one (throttled like sign-in, so a stolen
 * session cannot be used to guess it). Every session of the user ends, this one included: the caller signs in again.
 */
export async function changePassword(user: SessionUser, input: { current_password: string; new_password: string }, address: string | null): Promise<void> {
  const row = await findPasswordHash(user.id);
  if (!row?.passwordHash) throw new ServiceError("forbidden", "This account signs in with GitHub and has no password to change.");
  const check = await verifyThrottled(row.email, row.passwordHash, input.current_password, address);
  if (typeof check === "object") throw new ServiceError("rate_limited", "Too many wrong passwords; try again later.", { retryAfterS: check.retryAfterS });
  if (check === "wrong") throw new ServiceError("invalid_credentials", "The current password is wrong.", { param: "current_password" });
  await setUserPassword(user.id, await hashPassword(input.new_password));
  await writeAudit({ actorId: user.id, actorEmail: user.email, action: "user.password_change", targetType: "user", targetId: user.id, ip: address });
}
