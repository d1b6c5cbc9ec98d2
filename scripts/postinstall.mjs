// Runs after `npm install`/`npm ci` and before builds: generates both Prisma clients (offline, JS engine)
// and bundles the inference worker.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const prisma = path.join(root, "node_modules", ".bin", "prisma");
fs.mkdirSync(path.join(root, "data"), { recursive: true }); // the SQLite adapter in prisma/sqlite.config.ts opens a file here

for (const provider of ["sqlite", "postgres"]) {
  const r = spawnSync(prisma, ["generate", "--config", `prisma/${provider}.config.ts`], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    encoding: "utf8",
  });
  if (r.status !== 0) {
    process.stderr.write(r.stdout + r.stderr);
    process.exit(r.status ?? 1);
  }
  console.log(`[pareto] generated Prisma client for ${provider}`);
}

// The inference worker runs outside Next's bundle: build it with the clients.
const w = spawnSync(process.execPath, [path.join(root, "scripts", "build-worker.mjs")], { cwd: root, stdio: "inherit" });
if (w.status !== 0) process.exit(w.status ?? 1);
