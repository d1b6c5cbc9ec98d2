// `npm start`: build when needed, then serve on PORT (default 3000); the server migrates and seeds as it boots
// (instrumentation.ts → lib/boot). `npm run migrate` does the database part alone.
// Options: --rebuild forces `next build`; --no-build never builds (fails if there is no build).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);
process.env.NEXT_TELEMETRY_DISABLED = "1";
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const args = process.argv.slice(2);

function run(cmd, cmdArgs, extraEnv = {}) {
  const r = spawnSync(cmd, cmdArgs, { stdio: "inherit", env: { ...process.env, ...extraEnv } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function buildIsStale() {
  const stamp = path.join(root, ".next", "BUILD_ID");
  if (!fs.existsSync(stamp)) return true;
  const built = fs.statSync(stamp).mtimeMs;
  // Any source newer than the build means the build is stale (cheap walk; skips dependencies and outputs).
  const skip = new Set(["node_modules", ".next", ".git", "data", "test-results", "build", "bench", "tests", "generated"]);
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (skip.has(e.name)) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory() ? walk(p) : fs.statSync(p).mtimeMs > built) return true;
    }
    return false;
  };
  return ["app", "lib", "public"].some((d) => fs.existsSync(d) && walk(path.join(root, d))) ||
    ["next.config.js", "package.json"].some((f) => fs.statSync(f).mtimeMs > built);
}

if (args.includes("--rebuild") || (!args.includes("--no-build") && buildIsStale())) {
  run(process.execPath, [path.join(root, "scripts", "build.mjs")]);
}

const port = process.env.PORT ?? "3000";
const host = process.env.HOSTNAME ?? "0.0.0.0";
// Pareto handles SIGTERM itself (lib/boot/shutdown.ts): drain, flush usage events, stop workers, exit 0.
const server = spawn(bin("next"), ["start", "-p", port, "-H", host], { stdio: "inherit", env: { ...process.env, NEXT_MANUAL_SIG_HANDLE: "1" } });
let stopping = false;
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    stopping = true;
    server.kill(sig);
  });
}
// A stop we asked for is a clean exit, whether Next reports it as a signal or as 128+signal.
server.on("exit", (code, signal) => process.exit(stopping && (signal || code === 130 || code === 143) ? 0 : (code ?? 1)));
