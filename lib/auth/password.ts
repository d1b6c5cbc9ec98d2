/**
 * Argon2id password hashes (OWASP's first choice), computed on libuv's thread pool so sign-ins don't block the
 * event loop. `verifyPassword` against DUMMY_HASH keeps an unknown email as slow as a wrong password.
 */
import { hash, verify } from "@node-rs/argon2";

// OWASP minimums for argon2id: m=19 MiB, t=2, p=1.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

const checks = globalThis as unknown as { __paretoPasswordChecks?: number };

/** Password verifications run by this process (pareto_password_checks_total): what the sign-in throttle bounds. */
export function passwordChecks(): number {
  return checks.__paretoPasswordChecks ?? 0;
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  checks.__paretoPasswordChecks = passwordChecks() + 1;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // malformed stored hash: treat as a mismatch, never as a server error
  }
}

let dummy: Promise<string> | undefined;
/** A real hash of a random string, so verifying an unknown user costs the same as a known one. */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(`dummy-${Math.random()}-${Date.now()}`);
  return dummy;
}
