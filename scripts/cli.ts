/**
 * Operator CLI: `npm run pareto -- <command> [options]`. Exits non-zero with a message on bad arguments.
 *   user:create --email E --password P [--name N] [--admin]
 *   user:list
 *   user:promote --email E
 *   plan:set --email E --plan NAME
 *   key:create --email E [--name N] [--scopes a,b] [--expires ISO]   (prints the key alone on its last line)
 *   webhook:secret --email E [--rotate]                             (prints the secret alone on its last line)
 *   model:add --id ID --task tensor|vad|ocr --file F | --det F --rec F --dict F [--cls F] [...]  (prints the id last)
 *   model:list
 *   model:remove --id ID
 *   train --task text-classification --data FILE --id ID [--name N] [--budget-s S] [--objective O] [--seed N]
 *                                                      (progress on stderr; prints the model id last)
 */
import fs from "node:fs";
import path from "node:path";
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
import { uploadFields } from "@/lib/api/schemas/registry";
import { listModelRows } from "@/lib/db/models";
import { isDomainError } from "@/lib/models/errors";
import { maxModelBytes, putBlob } from "@/lib/registry/blob-store";
import { deleteModel } from "@/lib/registry/manage";
import { stopRegistryWatch } from "@/lib/registry/notify";
import { discardUploads, FILE_FIELDS, registerModel, type StoredUpload } from "@/lib/registry/upload";
import { trainingRunFields } from "@/lib/api/schemas/training-runs";
import { maxDatasetBytes, tooLargeError } from "@/lib/training/dataset";
import { cancelTrainingRun, startTrainingRun, waitForRun } from "@/lib/training/runs";
import { rotateWebhookSecret, webhookSecretFor } from "@/lib/webhooks";
import { progressBar, runSummary, datasetSummary } from "./cli-train";

class UsageError extends Error {}

const HELP = `Usage: npm run pareto -- <command> [options]

Commands:
  user:create --email E --password P [--name N] [--admin]   create a user (the first user is always ADMIN)
  user:list                                                 list users with role and plan
  user:promote --email E                                    make an existing user an admin (audited)
  plan:set --email E --plan NAME                            move a user to a plan (Free, Pro, Enterprise, …)
  key:create --email E [--name N] [--scopes S] [--expires ISO]
                                                            create an API key; the key is printed alone on the last line
                                                            S: read, inference, usage:read, task:ocr|vad|tensor, model:<id>
                                                            (comma-separated; default inference,usage:read)
  webhook:secret --email E [--rotate]                       print the user's webhook signing secret (made on first use);
                                                            --rotate replaces it; the secret is alone on the last line
  model:add --id ID --task tensor|vad --file PATH [--name N] [--version V] [--license L] [--description D]
  model:add --id ID --task ocr --det PATH --rec PATH --dict PATH [--cls PATH] [...]
                                                            bring a model: checked, test-loaded and registered; returns
                                                            when it is servable and prints its id alone on the last line
                                                            (running servers measure it; tensor: [--eval JSONL --eval-metric M])
  model:list                                                list models with task, versions and traffic
  model:remove --id ID                                      delete an uploaded model (not a task default) and its files
  train --task text-classification --data FILE --id ID [--name N] [--description D] [--budget-s S]
        [--objective balanced|most_accurate|fastest] [--seed N]
                                                            train a text classifier on a CSV (text,label header) or JSONL
                                                            dataset; progress on stderr; returns when the model is
                                                            servable and prints its id alone on the last line
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
  "webhook:secret": {
    options: { email: { type: "string" }, rotate: { type: "boolean" } },
    async run(o) {
      const email = z.email().safeParse(need(o, "email"));
      if (!email.success) throw new UsageError("--email: not a valid email address");
      const user = await findUserByEmail(email.data);
      if (!user) throw new UsageError(`no user with email ${email.data}`);
      if (o.rotate) {
        const secret = await rotateWebhookSecret(user.id, { id: null, email: null, via: "cli" });
        console.log(`rotated the webhook signing secret of ${user.email}; deliveries from now on are signed with:`);
        console.log(secret);
        return;
      }
      console.log(`webhook signing secret of ${user.email}:`);
      console.log(await webhookSecretFor(user.id));
    },
  },
  "model:add": {
    options: {
      id: { type: "string" },
      task: { type: "string" },
      file: { type: "string" },
      det: { type: "string" },
      rec: { type: "string" },
      cls: { type: "string" },
      dict: { type: "string" },
      eval: { type: "string" },
      "eval-metric": { type: "string" },
      name: { type: "string" },
      version: { type: "string" },
      license: { type: "string" },
      description: { type: "string" },
    },
    async run(o) {
      const text = (k: string) => (typeof o[k] === "string" ? (o[k] as string) : undefined);
      const parsed = uploadFields.safeParse({ id: need(o, "id"), task: need(o, "task"), name: text("name"), version: text("version"), license: text("license"), description: text("description"), eval_metric: text("eval-metric") });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new UsageError(`--${String(issue.path[0]).replace("eval_metric", "eval-metric")}: ${issue.message}`);
      }
      const f = parsed.data;
      const files = new Map<string, StoredUpload>();
      try {
        for (const field of FILE_FIELDS[f.task]) {
          const p = text(field);
          if (p === undefined) continue;
          if (!fs.existsSync(p) || !fs.statSync(p).isFile()) throw new UsageError(`--${field}: no file at ${p}`);
          process.stderr.write(`storing ${p}…\n`);
          const put = await putBlob(fs.createReadStream(p), { maxBytes: maxModelBytes() });
          files.set(field, { field, filename: path.basename(p), sha256: put.sha256, bytes: put.bytes, existed: put.existed });
        }
        const stray = ["file", "det", "rec", "cls", "dict", "eval"].find((k) => text(k) !== undefined && !FILE_FIELDS[f.task].includes(k));
        if (stray) throw new UsageError(`--${stray}: a ${f.task} model takes ${FILE_FIELDS[f.task].map((k) => `--${k}`).join(", ")}`);
        process.stderr.write("checking and test-loading…\n");
        await registerModel({ id: null, email: null }, { id: f.id, task: f.task, name: f.name, version: f.version, license: f.license, description: f.description, evalMetric: f.eval_metric }, files);
      } catch (e) {
        await discardUploads(files.values());
        // The registry's own refusals (bad file, unsupported operator, id taken) are the operator's to fix: exit 2.
        if (isDomainError(e)) throw new UsageError(`${e.param ? `--${e.param === "model" ? "file" : e.param}: ` : ""}${e.message}`);
        throw e;
      }
      console.log(`registered ${f.task} model ${f.id} version ${f.version}; servable now, measured by the running server`);
      console.log(f.id);
    },
  },
  "model:list": {
    options: {},
    async run() {
      const rows = await listModelRows();
      const table = rows.map((m) => [m.id, m.task, m.builtIn ? "built-in" : "uploaded", m.enabled ? (m.isDefault ? "default" : "enabled") : "disabled", m.versions.map((v) => `${v.version}:${v.trafficPercent}%${v.status === "ready" ? "" : `(${v.status})`}`).join(" ")]);
      const head = ["ID", "TASK", "ORIGIN", "STATE", "VERSIONS"];
      const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
      const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
      console.log(fmt(head));
      table.forEach((r) => console.log(fmt(r)));
    },
  },
  "model:remove": {
    options: { id: { type: "string" } },
    async run(o) {
      const id = need(o, "id");
      try {
        await deleteModel({ id: null, email: null }, id);
      } catch (e) {
        if (isDomainError(e)) throw new UsageError(e.message);
        throw e;
      }
      console.log(`removed model ${id}`);
    },
  },
  train: {
    options: {
      task: { type: "string" },
      data: { type: "string" },
      id: { type: "string" },
      name: { type: "string" },
      description: { type: "string" },
      "budget-s": { type: "string" },
      objective: { type: "string" },
      seed: { type: "string" },
    },
    async run(o) {
      const text = (k: string) => (typeof o[k] === "string" ? (o[k] as string) : undefined);
      const file = need(o, "data");
      const parsed = trainingRunFields.safeParse({ id: need(o, "id"), task: need(o, "task"), name: text("name"), description: text("description"), budget_s: text("budget-s"), objective: text("objective"), seed: text("seed") });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new UsageError(`--${String(issue.path[0]).replace("budget_s", "budget-s")}: ${issue.message}`);
      }
      const f = parsed.data;
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new UsageError(`--data: no file at ${file}`);
      if (fs.statSync(file).size > maxDatasetBytes()) throw new UsageError(`--data: ${tooLargeError(fs.statSync(file).size).message}`);
      const actor = { id: null, email: null };
      let run;
      try {
        run = await startTrainingRun(actor, { modelId: f.id, name: f.name, description: f.description, budgetS: f.budget_s, objective: f.objective, seed: f.seed }, { bytes: fs.readFileSync(file), filename: path.basename(file) }, { measure: false });
      } catch (e) {
        // The dataset or the id refused: the operator's to fix (exit 2), with the reason.
        if (isDomainError(e)) throw new UsageError(`${e.param === "dataset" ? "--data: " : e.param === "id" ? "--id: " : ""}${e.message}`);
        throw e;
      }
      process.stderr.write(datasetSummary(run));
      const id = run.id;
      // Ctrl-C cancels the run (its row says so) instead of leaving it to be found interrupted.
      const onSigint = () => void cancelTrainingRun(actor, id).catch(() => undefined);
      process.once("SIGINT", onSigint);
      const bar = progressBar(process.stderr);
      const done = await waitForRun(id, bar.update);
      bar.end();
      process.off("SIGINT", onSigint);
      process.stderr.write(runSummary(done));
      if (done.status !== "succeeded") throw new TrainingFailed(done.status === "cancelled" ? `training run ${id} was cancelled` : `training run ${id} failed: ${done.error?.message ?? "unknown error"}`);
      console.log(`trained ${f.id}: ${done.candidates.length} versions registered, ${done.best} takes the traffic; servable now, measured by the running server`);
      console.log(f.id);
    },
  },
};

/** A run that ended without a servable model: exit 1 with its reason. */
class TrainingFailed extends Error {}

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
    await stopRegistryWatch().catch(() => undefined);
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
