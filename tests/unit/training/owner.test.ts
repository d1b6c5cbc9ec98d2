/** Issue 14 §2: a restart marks a running run failed — which runs count as orphaned, and which are left alone. */
import { describe, expect, it } from "vitest";
import { orphanReason, pidAlive, STALE_MS, type OwnedRun, type Owner } from "@/lib/training/owner";
import { versionNames } from "@/lib/training/register";

const ME: Owner = { instanceId: "me", host: "host-a", pid: 100 };
const NOW = Date.parse("2026-11-30T12:00:00Z");
const run = (o: Partial<OwnedRun>): OwnedRun => ({ id: "r1", instanceId: "other", host: "host-a", pid: 200, heartbeatAt: new Date(NOW - 1_000), ...o });
const alivePids = new Set([200, 300]);
const alive = (pid: number) => alivePids.has(pid);

describe("orphanReason", () => {
  it.each<[string, Partial<OwnedRun>, Set<string>, RegExp | null]>([
    ["this process runs it", { instanceId: "me", pid: 100 }, new Set(["r1"]), null],
    ["another live process on this host, fresh heartbeat", {}, new Set(), null],
    ["another host, fresh heartbeat", { host: "host-b", pid: 999 }, new Set(), null],
    ["another host, heartbeat just inside the window", { host: "host-b", heartbeatAt: new Date(NOW - STALE_MS + 1) }, new Set(), null],
    ["names this instance but this process does not run it", { instanceId: "me", pid: 100 }, new Set(), /does not run it/],
    ["this host, its process is gone (kill -9), heartbeat still fresh", { pid: 4242 }, new Set(), /process 4242 is gone/],
    ["this host, this pid, another instance (a restarted container reusing its pid)", { pid: 100, instanceId: "before" }, new Set(), /pid 100 is now another process/],
    ["another host, silent for longer than STALE_MS", { host: "host-b", heartbeatAt: new Date(NOW - STALE_MS - 1_000) }, new Set(), /no heartbeat for 31 s/],
    ["this host, a live process that stopped writing heartbeats", { pid: 300, heartbeatAt: new Date(NOW - 60_000) }, new Set(), /no heartbeat/],
  ])("%s", (_name, r, local, why) => {
    const got = orphanReason(run(r), ME, local, NOW, alive);
    if (why === null) expect(got).toBeNull();
    else expect(got).toMatch(why);
  });

  it("pidAlive: this process is alive; a pid that cannot exist is not", () => {
    expect(pidAlive(process.pid)).toBe(true);
    expect(pidAlive(2 ** 22 + 12345)).toBe(false);
    expect(pidAlive(0)).toBe(false);
    expect(pidAlive(-1)).toBe(false);
  });
});

describe("versionNames: a run's candidates as versions of its model", () => {
  it("prefixes the run number", () => {
    expect([...versionNames(["linear-b18-c14-w12", "mlp-b17-h64-c14-w12"], 1, new Set()).values()]).toEqual(["1-linear-b18-c14-w12", "1-mlp-b17-h64-c14-w12"]);
  });
  it("moves past numbers whose names are taken (versions added by hand, a run that registered half)", () => {
    const names = versionNames(["linear-b14"], 2, new Set(["2-linear-b14", "3-linear-b14"]));
    expect(names.get("linear-b14")).toBe("4-linear-b14");
  });
  it("keeps names within the registry's 32 characters, distinct, and starting with a letter or digit", () => {
    const long = ["a-very-long-candidate-name-x12345", "a-very-long-candidate-name-x12346"];
    const names = [...versionNames(long, 123, new Set()).values()];
    for (const n of names) expect(n).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/);
    expect(new Set(names).size).toBe(2);
  });
});
