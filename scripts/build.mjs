// `npm run build`: regenerate Prisma clients if needed, then `next build`.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
for (const step of [
  [process.execPath, [path.join(root, "scripts", "postinstall.mjs")]],
  [path.join(root, "node_modules", ".bin", "next"), ["build"]],
]) {
  const r = spawnSync(step[0], step[1], { stdio: "inherit", cwd: root, env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
