/**
 * Every environment variable the product reads, in one place (the README's table mirrors this file).
 * Read lazily so tests and the CLI can set variables before first use.
 */
import path from "node:path";

function str(name: string): string | undefined {
  const v = process.env[name];
  return v === undefined || v.trim() === "" ? undefined : v.trim();
}

function int(name: string, fallback: number): number {
  const v = str(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${v}"`);
  return n;
}

export const env = {
  /** Folder for the SQLite file and the generated auth secret. */
  dataDir: () => path.resolve(/*turbopackIgnore: true*/ str("PARETO_DATA_DIR") ?? path.join(process.cwd(), "data")),
  /** `postgres://…` selects PostgreSQL; `file:…` or unset selects SQLite under the data dir. */
  databaseUrl: () => str("DATABASE_URL"),
  authSecret: () => str("NEXTAUTH_SECRET"),
  githubId: () => str("GITHUB_ID"),
  githubSecret: () => str("GITHUB_SECRET"),
  adminEmail: () => str("PARETO_ADMIN_EMAIL"),
  adminPassword: () => str("PARETO_ADMIN_PASSWORD"),
  /** Failed sign-ins allowed per email (and per IP, ×4) within the window before sign-in is throttled. */
  signinMaxFailures: () => int("PARETO_SIGNIN_MAX_FAILURES", 5),
  signinWindowSeconds: () => int("PARETO_SIGNIN_WINDOW_SECONDS", 900),
  /** Per-request inference deadline; also bounds how long quota reservations and concurrency slots live. */
  requestTimeoutMs: () => int("PARETO_REQUEST_TIMEOUT_MS", 30_000),
  redisUrl: () => str("REDIS_URL"),
  /** Deadline for receiving a whole upload body; a client trickling it slower gets 408 (slow-body defence). */
  bodyTimeoutMs: () => int("PARETO_BODY_TIMEOUT_MS", 30_000),
  /** How often each instance releases expired quota reservations (left by instances that died mid-request). */
  reservationSweepMs: () => int("PARETO_RESERVATION_SWEEP_MS", 60_000),
};
