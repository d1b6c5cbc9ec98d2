import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { bearer, createKey, newUser, sample, waitFor } from "../support/api";
import { request, signIn } from "../support/http";
import { matmulAddSoftmax, unsupportedOpModel } from "../support/onnx-builder";
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

describe("model CLI: bring a model from the command line, served by the running server", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pareto-cli-models-"));
  const file = (name: string, bytes: Uint8Array | Buffer) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, bytes);
    return p;
  };
  const id = `cli-dense-${Date.now().toString(36)}`;

  it("model:add checks, registers and prints the id alone on the last line; the server serves it; model:list shows it; model:remove removes it", async () => {
    const r = cli("model:add", "--id", id, "--task", "tensor", "--file", file("dense.onnx", matmulAddSoftmax({ inputDim: 3, outputDim: 2, seed: 5 })), "--name", "CLI dense", "--license", "MIT");
    expect(r.code, r.err).toBe(0);
    expect(r.out.trim().split("\n").at(-1)).toBe(id);

    const u = await newUser(base, "cli-model");
    const { key } = await createKey(base, u);
    const infer = () =>
      request(base, `/v2/models/${id}/infer`, {
        method: "POST",
        headers: { "content-type": "application/json", ...bearer(key) },
        body: JSON.stringify({ inputs: [{ name: "X", datatype: "FP32", shape: [1, 3], data: [0.5, -0.5, 1] }] }),
      });
    // The CLI wrote the registry; the server picks the change up (within its 1 s row cache or the change notice).
    const res = await waitFor(infer, (x) => x.status === 200, 10_000);
    expect(res.headers.get("x-pareto-model-version")).toBe("1");

    const list = cli("model:list");
    expect(list.code).toBe(0);
    expect(list.out).toMatch(new RegExp(`${id}\\s+tensor\\s+uploaded\\s+enabled\\s+1:100%`));
    expect(list.out).toMatch(/silero-vad-v5\s+vad\s+built-in/);

    const rm = cli("model:remove", "--id", id);
    expect(rm.code, rm.err).toBe(0);
    await waitFor(infer, (x) => x.status === 404, 10_000);
  }, 60_000);

  it.each([
    { name: "missing --file", args: () => ["model:add", "--id", "cli-x1", "--task", "tensor"], msg: "needs the file" },
    { name: "not ONNX", args: () => ["model:add", "--id", "cli-x2", "--task", "tensor", "--file", file("pic.onnx", sample("sign-en.png"))], msg: "--file:" },
    { name: "unsupported operator", args: () => ["model:add", "--id", "cli-x3", "--task", "tensor", "--file", file("op.onnx", unsupportedOpModel(""))], msg: "NotARealOp" },
    { name: "no such file", args: () => ["model:add", "--id", "cli-x4", "--task", "vad", "--file", path.join(dir, "missing.onnx")], msg: "no file at" },
    { name: "bad id", args: () => ["model:add", "--id", "Bad!", "--task", "tensor", "--file", file("d.onnx", matmulAddSoftmax({ inputDim: 2, outputDim: 2, seed: 1 }))], msg: "--id" },
    { name: "wrong file flag for the task", args: () => ["model:add", "--id", "cli-x5", "--task", "vad", "--det", file("d2.onnx", matmulAddSoftmax({ inputDim: 2, outputDim: 2, seed: 1 }))], msg: "--det" },
    { name: "removing a built-in", args: () => ["model:remove", "--id", "silero-vad-v5"], msg: "built in" },
    { name: "removing an unknown model", args: () => ["model:remove", "--id", "no-such-model"], msg: "No model" },
  ])("$name → non-zero exit with the reason", ({ args, msg }) => {
    const r = cli(...args());
    expect(r.code).not.toBe(0);
    expect(r.err).toContain(msg);
  });
});

