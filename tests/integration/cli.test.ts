import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { request, signIn } from "../support/http";
import { ROOT } from "../support/server";

const base = inject("baseUrl");
const env = { ...process.env, DATABASE_URL: inject("databaseUrl"), PARETO_DATA_DIR: inject("dataDir") };

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", path.join(ROOT, "scripts", "cli.ts"), ...args], {
    cwd: ROOT,
    env,
    encoding: "utf8",
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("operator CLI against the running server's database", () => {
  const email = `cli-${Date.now()}@example.com`;

  it("user:create makes a user who can sign in over HTTP", async () => {
    const r = cli("user:create", "--email", email, "--password", "cli-password", "--name", "From CLI");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain(`created ${email}`);
    expect((await signIn(base, email, "cli-password")).ok).toBe(true);
  });

  it("user:create --admin makes an admin", async () => {
    const adminEmail = `cli-admin-${Date.now()}@example.com`;
    expect(cli("user:create", "--email", adminEmail, "--password", "cli-password", "--admin").code).toBe(0);
    const { jar } = await signIn(base, adminEmail, "cli-password");
    expect((await request(base, "/api/v1/admin/users", { jar })).status).toBe(200);
  });

  it("user:list shows the user with role and plan; plan:set moves them", () => {
    expect(cli("plan:set", "--email", email, "--plan", "Pro").code).toBe(0);
    const list = cli("user:list");
    expect(list.code).toBe(0);
    expect(list.out).toMatch(new RegExp(`${email.replace(/\./g, "\\.")}\\s+USER\\s+Pro\\s+active`));
  });

  it.each([
    { args: [], code: 2, msg: "Usage" },
    { args: ["frobnicate"], code: 2, msg: 'unknown command "frobnicate"' },
    { args: ["user:create", "--email", "x@example.com"], code: 2, msg: "missing --password" },
    { args: ["user:create", "--email", "not-an-email", "--password", "longenough"], code: 2, msg: "--email" },
    { args: ["user:create", "--email", "y@example.com", "--password", "short"], code: 2, msg: "at least 8" },
    { args: ["user:create", "--email", "z@example.com", "--password", "longenough", "--bogus"], code: 2, msg: "bogus" },
    { args: ["plan:set", "--email", "nobody@example.com", "--plan", "Pro"], code: 2, msg: "no user" },
    { args: ["plan:set", "--email", "a@example.com", "--plan", "Platinum"], code: 2, msg: 'unknown plan "Platinum"' },
  ])("$args → exit $code", ({ args, code, msg }) => {
    const r = cli(...args);
    expect(r.code).toBe(code);
    expect(r.err + r.out).toContain(msg);
  });

  it("refuses a duplicate email", () => {
    const r = cli("user:create", "--email", email, "--password", "cli-password");
    expect(r.code).toBe(2);
    expect(r.err).toContain("already exists");
  });
});
