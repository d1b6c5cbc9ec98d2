import "server-only";
import { findSessionState } from "@/lib/db/users";

/** Thrown from the jwt callback for a cookie whose sessions were ended; next-auth then clears the cookie. */
export class SessionRevokedError extends Error {
  constructor() {
    super("session ended");
    this.name = "SessionRevokedError";
  }
}

/** True while the user exists, is enabled and has not ended their sessions since this cookie was issued. */
export async function sessionStillValid(uid: string, version: number): Promise<boolean> {
  const state = await findSessionState(uid);
  return Boolean(state && !state.disabled && state.sessionVersion === version);
}
