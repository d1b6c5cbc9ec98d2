// Loaded through NODE_OPTIONS=--import by bench/api/profile.ts (Node refuses --cpu-prof there): profiles the main
// thread of the Next.js server process (not scripts/start.mjs) and writes a .cpuprofile to PARETO_CPU_PROFILE_DIR
// when the process exits. Profiling starts on SIGUSR2. The in-thread inspector session answers synchronously, so an "exit" handler can write it.
import fs from "node:fs";
import inspector from "node:inspector";
import path from "node:path";
import { isMainThread } from "node:worker_threads";

const dir = process.env.PARETO_CPU_PROFILE_DIR;
// Main threads only: NODE_OPTIONS preloads run in worker threads too, and profiling the inference workers halves them.
if (dir && isMainThread && !process.argv.some((a) => a.endsWith("start.mjs"))) {
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 200 });
  // Started by SIGUSR2 (profile.ts sends it once the server is set up), so boot and migrations stay out of it.
  fs.writeFileSync(path.join(dir, "server.pid"), String(process.pid));
  process.on("SIGUSR2", () => session.post("Profiler.start"));
  process.on("exit", () => {
    session.post("Profiler.stop", (err, res) => {
      if (!err) fs.writeFileSync(path.join(dir, `server-${process.pid}.cpuprofile`), JSON.stringify(res.profile));
    });
  });
}
