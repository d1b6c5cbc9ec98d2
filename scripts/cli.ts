/**
 * Operator CLI: `npm run pareto -- <command> [options]`. Exits non-zero with a message on bad arguments.
 *   user:create --email E --password P [--name N] [--admin]
 *   user:list
 *   user:promote --email E
 *   plan:set --email E --plan NAME
 *   key:create --email E [--name N] [--scopes a,b] [--expires ISO]   (prints the key alone on its last line)
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { ensureAdminFromEnv } from "@/lib/auth/bootstrap-admin";
import { hashPassword } from "@/lib/auth/password";
import { signUpInput } from "@/lib/api/schemas/auth";
import { writeAudit } from "@/lib/db/audit";
import { migrateAndSeed } from "@/lib/db/bootstrap";
import { disconnectDb } from "@/lib/db/client";
import { listPlans } from "@/lib/db/plans";
import { createUser, EmailTakenError, findUserByEmail, listUsers, setUserPlan, setUserRole } from "@/lib/db/users";
import { createKeyInput } from "@/lib/api/schemas/keys";
import { principalChanged } from "@/lib/keys/principal-channel";
import { DEFAULT_SCOPES } from "@/lib/keys/scopes";
import { createKey } from "@/lib/keys/service";

class UsageError extends Error {}

const HELP = `Usage: npm run pareto -- <command> [options]

Commands:
  user:create --email E --password P [--name N] [--admin]   create a user (the first user is always ADMIN)
  user:list                                                 list users with role and plan
  user:promote --email E                                    make an existing user an admin (audited)
  plan:set --email E --plan NAME                            move a user to a plan (Free, Pro, Enterprise, …)
  key:create --email E [--name N] [--scopes S] [--expires ISO]
                                                            create an API key; the key is printed alone on the last line
                                                            S: read, inference, usage:read, task:ocr, task:vad, model:<id>
                                                            (comma-separated; default inference,usage:read)
  help                                                      show this help`;

type Opts = Record<string, string | boolean | undefined>;

/**
 * A change to a user reaches running servers through Redis when REDIS_URL is set (without it their 1 s cache
 * expires by itself). The CLI exits right after, so it waits for the publish a little longer than a server does.
 */
const CHANGE_WAIT_MS = 5_000;

function need(opts: Opts, name: string): string {
  const v = opts[name];
  if (typeof v !== "string" || v.trim() === "") throw new UsageError(`missing --${name}`);
  return v;
}

const commands: Record<string, { options: Record<string, { type: "string" | "boolean" }>; run: (o: Opts) => Promise<void> }> = {
  "user:create": {
    options: { email: { type: "string" }, password: { type: "string" }, name: { type: "string" }, admin: { type: "boolean" } },
    async run(o) {
      const parsed = signUpInput.safeParse({ email: need(o, "email"), password: need(o, "password"), name: o.name });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new UsageError(`--${issue.path.join(".")}: ${issue.message}`);
      }
      try {
        const user = await createUser({
          email: parsed.data.email,
          name: parsed.data.name ?? null,
          passwordHash: await hashPassword(parsed.data.password),
          role: o.admin ? "ADMIN" : "auto",
        });
        await writeAudit({ action: "user.create", targetType: "user", targetId: user.id, details: { via: "cli", role: user.role } });
        console.log(`created ${user.email} (${user.role}, plan ${user.plan?.name ?? "none"}) id=${user.id}`);
      } catch (e) {
        if (e instanceof EmailTakenError) throw new UsageError(`a user with email ${parsed.data.email} already exists`);
        throw e;
      }
    },
  },
  "user:list": {
    options: {},
    async run() {
      const users = await listUsers();
      if (!users.length) return console.log("no users yet");
      const rows = users.map((u) => [u.email, u.role, u.plan?.name ?? "-", u.disabled ? "disabled" : "active", u.createdAt.toISOString()]);
      const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length), ["EMAIL", "ROLE", "PLAN", "STATUS", "CREATED"][i].length));
      const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
      console.log(fmt(["EMAIL", "ROLE", "PLAN", "STATUS", "CREATED"]));
      rows.forEach((r) => console.log(fmt(r)));
    },
  },
  "user:promote": {
    options: { email: { type: "string" } },
    async run(o) {
      const email = z.email().safeParse(need(o, "email"));
      if (!email.success) throw new UsageError("--email: not a valid email address");
      const user = await findUserByEmail(email.data);
      if (!user) throw new UsageError(`no user with email ${email.data}`);
      if (user.role === "ADMIN") return console.log(`${user.email} is already an admin`);
      await setUserRole(user.id, "ADMIN");
      await principalChanged({ userId: user.id }, CHANGE_WAIT_MS);
      await writeAudit({ action: "user.promote", targetType: "user", targetId: user.id, details: { via: "cli", role: "ADMIN" } });
      console.log(`${user.email} is now an admin`);
    },
  },
  "plan:set": {
    options: { email: { type: "string" }, plan: { type: "string" } },
    async run(o) {
      const email = z.email().safeParse(need(o, "email"));
      if (!email.success) throw new UsageError("--email: not a valid email address");
      const plans = await listPlans();
      const wanted = need(o, "plan");
      const plan = plans.find((p) => p.name.toLowerCase() === wanted.toLowerCase());
      if (!plan) throw new UsageError(`unknown plan "${wanted}"; plans: ${plans.map((p) => p.name).join(", ")}`);
      const r = await setUserPlan(email.data, plan.name);
      if (!r.ok) throw new UsageError(`no user with email ${email.data}`);
      await principalChanged({ userId: r.user.id }, CHANGE_WAIT_MS);
      await writeAudit({ action: "user.plan", targetType: "user", targetId: r.user.id, details: { via: "cli", plan: plan.name } });
      console.log(`${r.user.email} is now on plan ${plan.name}`);
    },
  },
  "key:create": {
    options: { email: { type: "string" }, name: { type: "string" }, scopes: { type: "string" }, expires: { type: "string" } },
    async run(o) {
      const user = await findUserByEmail(need(o, "email"));
      if (!user) throw new UsageError(`no user with email ${String(o.email)}`);
      const parsed = createKeyInput.safeParse({
        name: typeof o.name === "string" ? o.name : "cli",
        scopes: typeof o.scopes === "string" ? o.scopes.split(",").map((s) => s.trim()) : undefined,
        expires_at: typeof o.expires === "string" ? o.expires : undefined,
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new UsageError(`--${String(issue.path[0] ?? "scopes").replace("expires_at", "expires")}: ${issue.message}`);
      }
      const { key, row } = await createKey(
        { id: user.id, email: user.email },
        { name: parsed.data.name, scopes: parsed.data.scopes ?? [...DEFAULT_SCOPES], expiresAt: parsed.data.expires_at ? new Date(parsed.data.expires_at) : null },
      );
      console.log(`created key "${row.name}" (${row.prefix}…) for ${user.email}; it is shown only once:`);
      console.log(key);
    },
  },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help") {
    console.log(HELP);
    return name ? 0 : 2;
  }
  const cmd = commands[name];
  if (!cmd) throw new UsageError(`unknown command "${name}"`);
  let values: Opts;
  try {
    ({ values } = parseArgs({ args: rest, options: cmd.options, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  await migrateAndSeed();
  await ensureAdminFromEnv();
  await cmd.run(values);
  return 0;
}

main(process.argv.slice(2))
  .then(async (code) => {
    await disconnectDb();
    process.exit(code);
  })
  .catch(async (e: unknown) => {
    await disconnectDb().catch(() => undefined);
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}\n\n${HELP}`);
      process.exit(2);
    }
    console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
