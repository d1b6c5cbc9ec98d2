/**
 * "One benchmark per deployment": two instances that start together on one PostgreSQL database with
 * PARETO_AUTO_BENCHMARK=1 and no figures yet must run the first-start benchmark once between them, not once each.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migratePostgres } from "@/lib/db/migrate";
import { waitFor } from "../support/api";
import { pgDatabase, pgReachable, PG_BASE_URL } from "../support/infra";
import { ROOT, startPair, type RunningServer } from "../support/server";

const pgOk = await pgReachable();
if (!pgOk) console.warn(`first-benchmark: skipped — needs PostgreSQL (${PG_BASE_URL})`);

/** A line each instance logs once it has decided about the first-start run: it started one, or it did not. */
const DECIDED = /"msg":"(benchmark run started|first-start benchmark skipped)"/;

describe.skipIf(!pgOk)("first-start benchmark, two instances starting together", () => {
  let db: Awaited<ReturnType<typeof pgDatabase>>;
  let barrier: pg.Client;
  let servers: RunningServer[] = [];

  beforeAll(async () => {
    db = await pgDatabase();
    // The tables exist before the instances start, so the test can lock one of them (below).
    await migratePostgres(db.url, ROOT);
    barrier = new pg.Client({ connectionString: db.url });
    await barrier.connect();
  });
  afterAll(async () => {
    await barrier?.query("ROLLBACK").catch(() => undefined);
    await barrier?.end().catch(() => undefined);
    await Promise.all(servers.map((s) => s.stop()));
    await db?.drop();
  });

  it("runs once between them: exactly one benchmark run row", async () => {
    // Line the instances up: while this transaction holds the figures table, each instance's first-start check
    // waits on it, however far apart their boots finished; releasing it lets both decide at the same moment.
    await barrier.query("BEGIN");
    await barrier.query(`LOCK TABLE "ModelBenchmark" IN ACCESS EXCLUSIVE MODE`);

    const env = { DATABASE_URL: db.url, PARETO_AUTO_BENCHMARK: "1", PARETO_WORKERS: "1", NEXTAUTH_SECRET: "first-benchmark-shared-secret-0123456789" };
    servers = await startPair(env);

    const waiting = async () =>
      Number(
        (
          await barrier.query<{ n: string }>(
            `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
          )
        ).rows[0].n,
      );
    expect(await waitFor(waiting, (n) => n >= 2, 30_000), servers.map((s) => s.logs().slice(-1500)).join("\n---\n")).toBeGreaterThanOrEqual(2);
    await barrier.query("COMMIT");

    const decided = await waitFor(async () => servers.every((s) => DECIDED.test(s.logs())), (ok) => ok, 30_000);
    expect(decided, servers.map((s) => s.logs().slice(-1500)).join("\n---\n")).toBe(true);

    const runs = (await barrier.query<{ id: string; status: string }>(`SELECT id, status FROM "BenchmarkRun"`)).rows;
    expect(runs, JSON.stringify(runs)).toHaveLength(1);
    expect(servers.filter((s) => /"msg":"benchmark run started"/.test(s.logs()))).toHaveLength(1);
  });
});
