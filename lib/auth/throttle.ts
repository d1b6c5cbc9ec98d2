import "server-only";
import { env } from "@/lib/config/env";
import { windowCounter, type WindowCounter } from "@/lib/metering/window-counter";
import { verifyPassword } from "./password";

/**
 * Password-guessing throttle. Every attempt is counted atomically BEFORE the password is checked (a counter read
 * before argon2 and written after let hundreds of parallel guesses all see "under the limit"), and handed back when
 * the password proves right or the attempt is refused without a check. Limits, within the window:
 *
 * - per (email, client address): `max` password checks that failed; then that address is refused for that email.
 *   The owner on another address is not affected — one address can no longer lock an account for everyone.
 * - per client address over all emails: 4 × `max` (credential stuffing from one address).
 * - per email over all addresses, beyond `max` failures: a back-off instead of a block — one password check per
 *   1 s, 2 s, 4 s … up to BACKOFF_CAP_MS, first come first served, for addresses that never signed in to this
 *   account. Addresses that did (within KNOWN_MS) are exempt, so a distributed guesser slows down while the owner
 *   signs in as usual.
 */
const BACKOFF_CAP_MS = 60_000;
const KNOWN_MS = 30 * 24 * 3600_000;

export type Admission = { admitted: true; settle: (passwordWasRight: boolean) => Promise<void> } | { admitted: false; retryAfterS: number };

interface Limits {
  max: number;
  windowMs: number;
}

export class SigninThrottle {
  constructor(
    private readonly counter: WindowCounter,
    private readonly limits: () => Limits,
  ) {}

  async admit(emailRaw: string, address: string | null): Promise<Admission> {
    const { max, windowMs } = this.limits();
    const email = emailRaw.toLowerCase();
    const addr = address ?? "unknown";
    const k = {
      pair: `signin:pair:${email}:${addr}`,
      address: `signin:ip:${addr}`,
      email: `signin:email:${email}`,
      slot: `signin:slot:${email}`,
      known: `signin:known:${email}:${addr}`,
    };
    const taken: string[] = [];
    const giveBack = () => Promise.all(taken.map((key) => this.counter.hit(key, windowMs, -1))).then(() => undefined);
    const refuse = async (resetAt: number): Promise<Admission> => {
      await giveBack();
      return { admitted: false, retryAfterS: Math.max(1, Math.ceil((resetAt - Date.now()) / 1000)) };
    };

    const pair = await this.counter.hit(k.pair, windowMs);
    // Over the limit already: keep the count (the window still ends at the same time), check nothing.
    if (pair.count > max) return { admitted: false, retryAfterS: Math.max(1, Math.ceil((pair.resetAt - Date.now()) / 1000)) };
    taken.push(k.pair);

    const byAddress = await this.counter.hit(k.address, windowMs);
    taken.push(k.address);
    if (byAddress.count > max * 4) return refuse(byAddress.resetAt);

    const byEmail = await this.counter.hit(k.email, windowMs);
    taken.push(k.email);
    if (byEmail.count > max && (await this.counter.peek(k.known, KNOWN_MS)).count === 0) {
      // Back-off: the first attempt to find the slot free takes it; the slot's life is the current delay.
      const delayMs = Math.min(BACKOFF_CAP_MS, 1000 * 2 ** Math.min(16, byEmail.count - max - 1));
      const slot = await this.counter.hit(k.slot, delayMs);
      if (slot.count > 1) return refuse(slot.resetAt);
    }

    return {
      admitted: true,
      settle: async (passwordWasRight) => {
        if (!passwordWasRight) return; // the attempt stays counted as a failure
        await Promise.all([
          this.counter.reset(k.pair),
          this.counter.hit(k.address, windowMs, -1),
          this.counter.hit(k.email, windowMs, -1),
          // Known for KNOWN_MS from its latest success.
          this.counter.reset(k.known).then(() => this.counter.hit(k.known, KNOWN_MS)),
        ]);
      },
    };
  }
}

export function signinThrottle(): SigninThrottle {
  return new SigninThrottle(windowCounter(), () => ({ max: env.signinMaxFailures(), windowMs: env.signinWindowSeconds() * 1000 }));
}

/**
 * A password check of a known account under the throttle (account pages, GitHub linking): counted before argon2
 * runs, handed back when it was right. Sign-in itself (lib/auth/options.ts) admits before it knows the account.
 */
export async function verifyThrottled(email: string, passwordHash: string, password: string, address: string | null): Promise<"right" | "wrong" | { retryAfterS: number }> {
  const gate = await signinThrottle().admit(email, address);
  if (!gate.admitted) return { retryAfterS: gate.retryAfterS };
  const right = await verifyPassword(passwordHash, password);
  await gate.settle(right);
  return right ? "right" : "wrong";
}
