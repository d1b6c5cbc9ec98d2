import "server-only";
import { canAccess } from "@/lib/auth/roles";
import { getSessionUser, type SessionUser } from "@/lib/auth/session";
import type { Permission } from "@/lib/keys/scopes";
import type { Principal } from "@/lib/metering/limits";
import { ApiError } from "./errors";
import { authenticate } from "./principal";
import { checkSameOrigin } from "./same-origin";

/**
 * Who may call a route: anyone ("public"), a signed-in user ("session"), an administrator ("admin"), or an API key
 * ("key"; with `allowSession`, a signed-in browser too — the playground).
 */
export type AuthMode = "public" | "session" | "admin" | "key";

export interface IdentifyOptions {
  auth: AuthMode;
  /** The scope a key needs ("key" routes). */
  permission?: Permission;
  allowSession?: boolean;
  /** A public route that reads the session cookie (sign-up, language): check the Origin and load the user. */
  csrf?: boolean;
}

export interface Caller {
  user: SessionUser | null;
  principal: Principal | null;
}

/** Authentication, authorisation and — for every request a cookie authenticates — the same-origin check. */
export async function identify(req: Request, o: IdentifyOptions): Promise<Caller> {
  if (o.auth === "key") {
    const principal = await authenticate(req, o.permission ?? "inference", o.allowSession ?? false);
    if (principal.via === "session") checkSameOrigin(req);
    return { user: null, principal };
  }
  if (o.auth === "public" && !o.csrf) return { user: null, principal: null };
  if (o.csrf !== false) checkSameOrigin(req);
  const user = await getSessionUser();
  if (o.auth !== "public" && !user) throw new ApiError("unauthorized", "Sign in to use this endpoint.");
  if (o.auth === "admin" && !canAccess(user?.role, "admin")) throw new ApiError("forbidden", "This endpoint is for administrators.");
  return { user, principal: null };
}
