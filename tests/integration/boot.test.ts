/**
 * One boot (lib/boot): the process answers from its first second whatever its dependencies do — alive on
 * /api/health, 503 "starting" on /api/ready, 503 `unavailable` on the API, a "starting" notice on pages — and serves
 * once the database answers; a bad setting stops it with a non-zero exit and the reason.
 */
import { afterAll, describe, expect, it } from "vitest";
import { pgDatabase, pgReachable } from "../support/infra";
import { freePort, startServer, type RunningServer } from "../support/server";
import { TcpProxy } from "../support/tcp-proxy";

const BASE_ENV = { PARETO_AUTO_BENCHMARK: "0", PARETO_WORKERS: "1" };

async function waitUntil(check: () => Promise<boolean>, what: string, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const pgOk = await pgReachable();

describe.skipIf(!pgOk)("boot while the database does not answer yet", () => {
  let server: RunningServer | undefined;
  let proxy: TcpProxy | undefined;
  let db: Awaited<ReturnType<typeof pgDatabase>> | undefined;
  afterAll(async () => {
    await server?.stop().catch(() => undefined);
    await proxy?.cut();
    await db?.drop();
  });

  it("answers at once (alive, starting, 503 for the API, a notice on pages), then serves when the database comes up", async () => {
    db = await pgDatabase();
    const real = new URL(db.url);
    // Nothing listens on the proxy's port yet: connections are refused, as for a database still starting.
    proxy = new TcpProxy({ host: real.hostname, port: Number(real.port || 5432) }, await freePort());
    const via = new URL(db.url);
    via.hostname = "127.0.0.1";
    via.port = String(proxy.port);
    server = await startServer({ ...BASE_ENV, DATABASE_URL: via.toString() }, { until: "listening" });
    const base = server.url;
    await waitUntil(async () => /boot: the database is unavailable; retrying/.test(server!.logs()), "the retry log");

    expect((await fetch(`${base}/api/health`)).status).toBe(200);
    const ready = await fetch(`${base}/api/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: "starting" });
    const api = await fetch(`${base}/api/v1/models`);
    expect(api.status).toBe(503);
    expect(api.headers.get("retry-after")).toBe("2");
    expect(api.headers.get("x-request-id")).toMatch(/^req_/);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("unavailable");
    // The notice as rendered (the catalog carrying its text is in every page's payload too).
    const notice = /role="status"[^>]*>Pareto is starting up/;
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(notice);

    await proxy.start();
    await waitUntil(async () => (await fetch(`${base}/api/ready`)).status === 200, "readiness once the database answers");
    expect((await fetch(`${base}/api/v1/models`)).status).toBe(200);
    expect(await (await fetch(`${base}/`)).text()).not.toMatch(notice);
  });
});

describe("boot with an invalid setting", () => {
  it("exits non-zero, naming the setting and the step", async () => {
    const err = await startServer({ ...BASE_ENV, PARETO_WORKERS: "abc" }).then(
      (s) => s.stop().then(() => null),
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    expect(err).toMatch(/server exited with 1/);
    expect(err).toMatch(/"msg":"boot failed".*"step":"config".*PARETO_WORKERS/);
  });
});
