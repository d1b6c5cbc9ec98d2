/**
 * What a database error means for the caller, by its code and message (Prisma's and the drivers' classes differ
 * between the SQLite and PostgreSQL clients and between Next.js layers, so nothing here uses `instanceof`).
 */

/** Failures of the database connection itself (not of a query): the request may succeed when retried. */
export function isDatabaseUnavailable(e: unknown): boolean {
  const err = e as { code?: string; name?: string; message?: string; cause?: unknown } | null;
  if (!err || typeof err !== "object") return false;
  if (["P1001", "P1002", "P1008", "P1017", "P2024"].includes(err.code ?? "")) return true;
  if (err.name === "PrismaClientInitializationError") return true;
  const text = `${err.message ?? ""} ${String((err.cause as { message?: string } | undefined)?.message ?? "")}`;
  return /ECONNREFUSED|ECONNRESET|Connection terminated|connection timeout|Can't reach database|database is locked|SQLITE_BUSY|closed the connection|timeout exceeded when trying to connect|not queryable|Unable to start a transaction in the given time|Transaction already closed/i.test(text);
}

/** PostgreSQL cannot store NUL (U+0000) in text (SQLite can): a value carrying one is the client's error, not ours. */
export function isUnstorableText(e: unknown): boolean {
  const err = e as { message?: string; cause?: unknown } | null;
  if (!err || typeof err !== "object") return false;
  const text = `${err.message ?? ""} ${String((err.cause as { message?: string } | undefined)?.message ?? "")}`;
  return /invalid byte sequence for encoding "UTF8": 0x00|unsupported Unicode escape sequence/i.test(text);
}

const FAULT = /(Can't reach database server.*|Transaction API error.*|Connection terminated.*|ECONN[A-Z]+.*|timeout exceeded.*|.*not queryable|database is locked|SQLITE_BUSY.*|Reached the max retries.*|Connection is closed)/;

/**
 * The line of a driver's message that names the fault. Prisma's messages start with a blank line and a code frame
 * (`→ 1 module.exports=…`) of the calling bundle, which may itself contain these very phrases (this file's pattern
 * is bundled into the same chunk as its callers): frame lines are skipped, then the first line naming a fault wins.
 */
export function databaseFault(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l && !/^(→|\d+\s)/.test(l));
  for (const line of lines) {
    const m = FAULT.exec(line);
    if (m) return m[1];
  }
  return lines[0] ?? "";
}
