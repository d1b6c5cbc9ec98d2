/**
 * Who is running an unfinished training run, and whether that process is gone. A run records the process that owns
 * it (instance id, host, pid) and that process writes a heartbeat every second. A run is orphaned — and marked
 * failed `interrupted` — when its owner is provably dead or has gone silent:
 *  - it names this process's instance but this process does not run it (lost, e.g. a failed start);
 *  - it is on this host and its pid is not alive (kill -9, a crash: found at once on restart);
 *  - it is on this host with this process's pid but another instance id (a restarted container reuses its pid);
 *  - its heartbeat is older than STALE_MS (another host, or anything the checks above cannot see).
 */
import os from "node:os";

/** Heartbeats are written every second; this much silence means the owner stopped. */
export const STALE_MS = 30_000;

export interface Owner {
  instanceId: string;
  host: string;
  pid: number;
}

export interface OwnedRun extends Owner {
  id: string;
  heartbeatAt: Date;
}

/** Whether a process with this pid exists on this host (EPERM: it does, as another user). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function hostName(): string {
  return os.hostname();
}

/** Why `run` is orphaned, seen from process `me` that runs `local` (its own run ids), or null while its owner lives. */
export function orphanReason(run: OwnedRun, me: Owner, local: ReadonlySet<string>, now: number, alive: (pid: number) => boolean = pidAlive): string | null {
  if (local.has(run.id)) return null;
  if (run.instanceId === me.instanceId) return "this process does not run it";
  if (run.host === me.host) {
    if (run.pid === me.pid) return `pid ${run.pid} is now another process`;
    if (!alive(run.pid)) return `process ${run.pid} is gone`;
  }
  if (now - run.heartbeatAt.getTime() > STALE_MS) return `no heartbeat for ${Math.round((now - run.heartbeatAt.getTime()) / 1000)} s`;
  return null;
}
