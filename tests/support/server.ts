/**
 * Starts the real product (`scripts/start.mjs --no-build`: `next start`, which migrates and seeds as it boots) on a
 * free port with its own data folder, for integration and e2e tests. Needs a prior `next build` (npm test does it).
 * Resolves once boot has finished (task defaults loaded): /api/ready no longer answers "starting".
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..");

export type Env = Record<string, string | undefined>;

export interface RunningServer {
  url: string;
  port: number;
  dataDir: string;
  env: Env;
  logs: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
  proc: ChildProcess;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

/** The database for a test run: PostgreSQL when PARETO_TEST_DATABASE_URL is set (CI's second pass), else SQLite. */
export function testDatabaseUrl(dataDir: string): string {
  return process.env.PARETO_TEST_DATABASE_URL ?? `file:${path.join(dataDir, "pareto.db")}`;
}

/**
 * `until`: "ready" (default) waits until boot has finished (/api/ready no longer says "starting"); "listening" only
 * until the process answers /api/health — for tests of the starting phase itself.
 */
export async function startServer(extraEnv: Env = {}, opts: { dataDir?: string; until?: "ready" | "listening" } = {}): Promise<RunningServer> {
  if (!fs.existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    throw new Error("no production build: run `npm run build` first (npm test does)");
  }
  const port = await freePort();
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "pareto-test-"));
  const url = `http://127.0.0.1:${port}`;
  const env: Env = {
    ...process.env,
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    PARETO_DATA_DIR: dataDir,
    DATABASE_URL: testDatabaseUrl(dataDir),
    NEXTAUTH_URL: url,
    NEXT_TELEMETRY_DISABLED: "1",
    // No first-start benchmark run competing with the tests for the cores (a test that wants one sets "1").
    PARETO_AUTO_BENCHMARK: "0",
    ...extraEnv,
  };
  let output = "";
  const proc = spawn(process.execPath, [path.join(ROOT, "scripts", "start.mjs"), "--no-build"], { cwd: ROOT, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  proc.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  proc.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}:\n${output}`);
    try {
      if (opts.until === "listening") {
        if ((await fetch(`${url}/api/health`)).status === 200) break;
      } else {
        const r = await fetch(`${url}/api/ready`);
        const status = ((await r.json()) as { status?: string }).status;
        if (status && status !== "starting") break;
      }
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`server did not finish booting in 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    url,
    port,
    dataDir,
    env,
    proc,
    logs: () => output,
    stop: async (signal: NodeJS.Signals = "SIGTERM") => {
      if (proc.exitCode === null) proc.kill(signal);
      const timer = setTimeout(() => proc.kill("SIGKILL"), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** A database nobody has used yet: a new SQLite file, or a new PostgreSQL database beside the test one. */
export async function freshDatabase(): Promise<{ url: string; dataDir: string; drop: () => Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pareto-fresh-"));
  const base = process.env.PARETO_TEST_DATABASE_URL;
  if (!base) return { url: `file:${path.join(dataDir, "pareto.db")}`, dataDir, drop: async () => undefined };
  const { default: pg } = await import("pg");
  const name = `pareto_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    dataDir,
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * Two instances of one deployment started at the same moment (same environment, so they race on migrations and
 * seeding as real instances do; `each` adds per-instance settings, e.g. one reaching Redis through a proxy). If
 * either fails to start, the other is stopped before the error is rethrown.
 */
export async function startPair(env: Env, each: [Env, Env] = [{}, {}]): Promise<[RunningServer, RunningServer]> {
  const started = await Promise.allSettled([startServer({ ...env, ...each[0] }), startServer({ ...env, ...each[1] })]);
  const failed = started.find((r) => r.status === "rejected");
  if (failed) {
    // Don't orphan the instance that did start.
    await Promise.all(started.map((r) => (r.status === "fulfilled" ? r.value.stop() : undefined)));
    throw (failed as PromiseRejectedResult).reason;
  }
  const [a, b] = started.map((r) => (r as PromiseFulfilledResult<RunningServer>).value);
  return [a, b];
}
