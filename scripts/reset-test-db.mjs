// Empties the PostgreSQL database named by the first argument (CI's test database), so a run starts clean.
import pg from "pg";

const url = process.argv[2];
if (!url || !/^postgres(ql)?:\/\//.test(url)) {
  console.error("usage: node scripts/reset-test-db.mjs postgresql://user@host:port/db");
  process.exit(2);
}
const client = new pg.Client({ connectionString: url });
await client.connect();
await client.query("DROP SCHEMA IF EXISTS public CASCADE");
await client.query("CREATE SCHEMA public");
// Databases left behind by interrupted "pristine installation" tests.
const { rows } = await client.query("SELECT datname FROM pg_database WHERE datname LIKE 'pareto_t_%'");
for (const r of rows) await client.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
await client.end();
console.log(`reset ${new URL(url).pathname.slice(1)}`);
