import "server-only";
import { env } from "@/lib/config/env";
import { windowCounter } from "@/lib/metering/window-counter";
import { ServiceError } from "@/lib/models/errors";

export type SignupMode = "open" | "invite" | "closed";

/** PARETO_SIGNUP: who may create an account through the web (the CLI always can). */
export function signupMode(): SignupMode {
  return env.signupMode();
}

const HOUR_MS = 3_600_000;

/**
 * Counts one sign-up attempt from this client address and refuses it beyond PARETO_SIGNUP_RATE_LIMIT an hour.
 * Counted before the password is hashed (argon2 is the expensive part) and whatever the outcome, so guessing
 * invite tokens is bounded too. The address is the one lib/auth resolves for the request (see the sign-up route).
 */
export async function admitSignupFrom(address: string | null): Promise<void> {
  const limit = env.signupRateLimit();
  if (!address || limit === 0) return;
  const w = await windowCounter().hit(`signup:addr:${address}`, HOUR_MS);
  if (w.count > limit) {
    const retryAfterS = Math.max(1, Math.ceil((w.resetAt - Date.now()) / 1000));
    throw new ServiceError("rate_limited", "Too many sign-ups from this address; try again later.", { retryAfterS });
  }
}
