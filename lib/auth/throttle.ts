import "server-only";
import { env } from "@/lib/config/env";
import { windowCounter } from "@/lib/metering/window-counter";

/**
 * Throttles password guessing: after N failures for one email (or 4N from one IP) within the window, further
 * attempts are refused without checking the password, until the window ends.
 */
function keys(email: string, ip: string | null) {
  const k = [`signin:email:${email.toLowerCase()}`];
  if (ip) k.push(`signin:ip:${ip}`);
  return k;
}

export async function signinBlockedFor(email: string, ip: string | null): Promise<number> {
  const windowMs = env.signinWindowSeconds() * 1000;
  const max = env.signinMaxFailures();
  const [byEmail, byIp] = await Promise.all(keys(email, ip).map((k) => windowCounter().peek(k, windowMs)));
  const now = Date.now();
  if (byEmail.count >= max) return Math.ceil((byEmail.resetAt - now) / 1000);
  if (byIp && byIp.count >= max * 4) return Math.ceil((byIp.resetAt - now) / 1000);
  return 0;
}

export async function recordSigninFailure(email: string, ip: string | null): Promise<void> {
  const windowMs = env.signinWindowSeconds() * 1000;
  await Promise.all(keys(email, ip).map((k) => windowCounter().hit(k, windowMs)));
}

export async function clearSigninFailures(email: string): Promise<void> {
  await windowCounter().reset(`signin:email:${email.toLowerCase()}`);
}
