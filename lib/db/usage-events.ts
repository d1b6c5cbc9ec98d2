import "server-only";
import crypto from "node:crypto";
import { db, isPostgres } from "./client";

/** One usage event as lib/metering/usage.ts buffers it. */
export interface UsageEventRow {
  requestId: string;
  userId: string | null;
  apiKeyId: string | null;
  modelId: string | null;
  /** The version that answered, for models with versions (uploaded); null otherwise. */
  modelVersion: string | null;
  source: string;
  route: string;
  method: string;
  status: number;
  errorCode: string | null;
  latencyMs: number;
  computeMs: number;
  units: number;
  unitKind: string | null;
  bytesIn: number;
  bytesOut: number;
  createdAt: Date;
}

type Kind = "text" | "int" | "float" | "time";
const COLUMNS: readonly [keyof UsageEventRow | "id", Kind][] = [
  ["id", "text"],
  ["requestId", "text"],
  ["userId", "text"],
  ["apiKeyId", "text"],
  ["modelId", "text"],
  ["modelVersion", "text"],
  ["source", "text"],
  ["route", "text"],
  ["method", "text"],
  ["status", "int"],
  ["errorCode", "text"],
  ["latencyMs", "float"],
  ["computeMs", "float"],
  ["units", "float"],
  ["unitKind", "text"],
  ["bytesIn", "int"],
  ["bytesOut", "int"],
  ["createdAt", "time"],
];
const PG_CAST: Record<Kind, (p: string) => string> = {
  text: (p) => `${p}::text`,
  int: (p) => `${p}::int`,
  float: (p) => `${p}::float8`,
  // The column is a timestamp without zone holding UTC, as Prisma writes it.
  time: (p) => `(${p}::timestamptz AT TIME ZONE 'UTC')::timestamp(3)`,
};
/** Rows per statement: 18 parameters each stays far below SQLite's and PostgreSQL's parameter limits. */
const ROWS_PER_STATEMENT = 500;

/**
 * Writes a batch of usage events (lib/metering/usage.ts buffers and retries them) as one multi-row INSERT. Not
 * Prisma's createMany: its query compiler builds a plan from every value of every row, which cost ~10 ms of the
 * main thread per 25 events — more than the rest of the API path per request. Ids are random (they only break
 * ties in ordering); timestamps are written in the exact form Prisma writes them, so its reads see no difference.
 */
export async function insertUsageEvents(events: readonly UsageEventRow[]): Promise<void> {
  const pg = isPostgres();
  for (let start = 0; start < events.length; start += ROWS_PER_STATEMENT) {
    const chunk = events.slice(start, start + ROWS_PER_STATEMENT);
    const params: unknown[] = [];
    const rows = chunk.map((e) => {
      const values = COLUMNS.map(([col, kind]) => {
        const v = col === "id" ? crypto.randomUUID() : e[col];
        params.push(kind === "time" ? (pg ? (v as Date).toISOString() : sqliteTime(v as Date)) : v);
        return pg ? PG_CAST[kind](`$${params.length}`) : "?";
      });
      return `(${values.join(", ")})`;
    });
    await db().$executeRawUnsafe(`INSERT INTO "UsageEvent" (${COLUMNS.map(([c]) => `"${c}"`).join(", ")}) VALUES ${rows.join(", ")}`, ...params);
  }
}

/** Prisma's SQLite DateTime text: ISO 8601 with milliseconds and "+00:00" (not "Z"); range queries compare it as text. */
function sqliteTime(d: Date): string {
  return `${d.toISOString().slice(0, -1)}+00:00`;
}
