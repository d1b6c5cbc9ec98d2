/**
 * Issue 11 item 8 — PARETO_ADMIN_EMAIL promoted whoever had registered that address first and overwrote their
 * password: someone who signed up with the operator's address before it was configured became an administrator (their
 * session and API keys included). Now the account is created only when absent; an existing non-admin is refused,
 * logged and audited, and promotion is a deliberate CLI command (`user:promote --email E`).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { adminJar } from "../support/api";
import { request, signIn, signUp } from "../support/http";
import { freshDatabase, ROOT, startServer, type RunningServer } from "../support/server";

const base = inject("baseUrl");

function cli(extraEnv: Record<string, string>, ...args: string[]) {
  const env = { ...process.env, DATABASE_URL: inject("databaseUrl"), PARETO_DATA_DIR: inject("dataDir"), ...extraEnv };
  const r = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", path.join(ROOT, "scripts", "cli.ts"), ...args], { cwd: ROOT, env, encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function auditActions(targetId: string): Promise<string[]> {
  const admin = await adminJar(base, inject("adminEmail"), inject("adminPassword"));
  const body = (await (await request(base, "/api/v1/admin/audit?limit=200", { jar: admin })).json()) as { data: { action: string; target_id?: string | null; targetId?: string | null }[] };
  return body.data.filter((e) => (e.target_id ?? e.targetId) === targetId).map((e) => e.action);
}

describe("PARETO_ADMIN_EMAIL names an account someone else registered (CLI start)", () => {
  const email = `squatted-admin-${Date.now()}@example.com`;
  const adminEnv = { PARETO_ADMIN_EMAIL: email, PARETO_ADMIN_PASSWORD: "operator-password" };
  let squatterId = "";

  it("a start with PARETO_ADMIN_EMAIL neither promotes the squatter nor replaces their password", async () => {
    const res = await signUp(base, email, "squatter-password");
    expect(res.status).toBe(201);
    squatterId = ((await res.json()) as { user: { id: string } }).user.id;
    const squatter = await signIn(base, email, "squatter-password");
    expect(squatter.ok).toBe(true);

    const r = cli(adminEnv, "user:list");
    expect(r.code).toBe(0);
    expect(r.err + r.out).toMatch(/not an admin|refus/i);

    expect((await request(base, "/api/v1/admin/users", { jar: squatter.jar })).status, "the squatter's session must not reach the admin API").toBe(403);
    expect((await signIn(base, email, "operator-password")).ok, "the squatter's password is untouched").toBe(false);
    expect((await signIn(base, email, "squatter-password")).ok).toBe(true);
    expect(await auditActions(squatterId)).toContain("admin.bootstrap_refused");
  });

  it("user:promote --email promotes deliberately, and is audited", async () => {
    const r = cli({}, "user:promote", "--email", email);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${email} is now an admin`);
    const { jar } = await signIn(base, email, "squatter-password");
    expect((await request(base, "/api/v1/admin/users", { jar })).status).toBe(200);
    expect(await auditActions(squatterId)).toContain("user.promote");
  });

  it("user:promote refuses an unknown email and a missing one", () => {
    const unknown = cli({}, "user:promote", "--email", "nobody-here@example.com");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("no user");
    expect(cli({}, "user:promote").code).toBe(2);
  });
});

describe("PARETO_ADMIN_EMAIL names an account someone else registered (server boot)", () => {
  let server: RunningServer | undefined;
  let drop: () => Promise<void> = async () => undefined;
  afterAll(async () => {
    await server?.stop();
    await drop();
  });

  it("the server starts, refuses the promotion, logs it, and the squatter stays a USER", async () => {
    const fresh = await freshDatabase();
    drop = fresh.drop;
    const env = { DATABASE_URL: fresh.url };
    server = await startServer(env, { dataDir: fresh.dataDir });
    // The first account of a pristine installation is its admin; the squatter comes second.
    expect((await signUp(server.url, "first-owner@example.com", "owner-password")).status).toBe(201);
    expect((await signUp(server.url, "boss@example.com", "squatter-password")).status).toBe(201);
    const squatter = await signIn(server.url, "boss@example.com", "squatter-password");
    expect(squatter.ok).toBe(true);
    expect(await server.stop()).toBe(0);

    server = await startServer({ ...env, PARETO_ADMIN_EMAIL: "boss@example.com", PARETO_ADMIN_PASSWORD: "operator-password" }, { dataDir: fresh.dataDir });
    expect(server.logs()).toMatch(/PARETO_ADMIN_EMAIL.*not an admin/);
    expect((await request(server.url, "/api/v1/admin/users", { jar: squatter.jar })).status).toBe(403);
    expect((await signIn(server.url, "boss@example.com", "operator-password")).ok).toBe(false);
  });
});
