import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Runtime, runtimeConfigFromEnv } from "@/lib/runtime";
import { tinyWav } from "../../support/api";

const root = path.resolve(__dirname, "../../..");
const runtimes: Runtime[] = [];
afterAll(async () => {
  await Promise.all(runtimes.map((r) => r.close()));
});

/** Niceness of every thread of this process, from /proc (field 19 of each task's stat). */
function threadNiceness(): number[] {
  const dir = `/proc/${process.pid}/task`;
  return fs.readdirSync(dir).flatMap((tid) => {
    try {
      const stat = fs.readFileSync(path.join(dir, tid, "stat"), "utf8");
      return [Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16])];
    } catch {
      return []; // a thread that ended while we listed them
    }
  });
}

describe.runIf(fs.existsSync("/proc/thread-self"))("inference workers run below the main thread's priority", () => {
  it("PARETO_WORKER_NICE: each worker thread (and the ONNX Runtime threads it starts) takes the niceness; the rest of the process keeps its own", async () => {
    const before = threadNiceness().filter((n) => n === 7).length;
    const rt = new Runtime(runtimeConfigFromEnv({ root, workers: 2, workerNice: 7 }));
    runtimes.push(rt);
    // A run on each worker: both have started and loaded a session.
    await Promise.all([rt.run("silero-vad-v5", tinyWav(0.5)), rt.run("silero-vad-v5", tinyWav(0.5))]);
    const niced = threadNiceness().filter((n) => n === 7).length - before;
    expect(niced).toBeGreaterThanOrEqual(2);
    // This (the main) thread is untouched.
    const main = fs.readFileSync(`/proc/${process.pid}/task/${process.pid}/stat`, "utf8");
    expect(Number(main.slice(main.lastIndexOf(")") + 2).split(" ")[16])).toBe(0);
  });

  it("0 leaves the workers at the process's priority", async () => {
    const before = threadNiceness().filter((n) => n !== 0).length;
    const rt = new Runtime(runtimeConfigFromEnv({ root, workers: 1, workerNice: 0 }));
    runtimes.push(rt);
    await rt.run("silero-vad-v5", tinyWav(0.5));
    expect(threadNiceness().filter((n) => n !== 0).length).toBe(before);
  });
});
