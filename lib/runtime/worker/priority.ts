/**
 * Inference workers run below the main thread's priority. On a machine whose cores the workers keep busy, the main
 * thread — HTTP parsing, routing, key checks, metering, the next request's dispatch — otherwise gets only its fair
 * share of a core against them: requests queue behind model compute, the event loop lags by hundreds of
 * milliseconds, and the workers themselves run dry waiting for the main thread to hand them work. With the workers
 * niced, the main thread takes the CPU the moment it needs it (a few per cent of a core per request) and the
 * workers use everything else. Linux applies `setpriority(PRIO_PROCESS, tid)` to one thread; raising one's own
 * niceness needs no privilege. Elsewhere (no /proc/thread-self) this does nothing.
 */
import fs from "node:fs";
import os from "node:os";

/** The calling thread's kernel id, or null where /proc/thread-self does not exist. */
export function threadId(): number | null {
  try {
    const tid = Number(fs.readlinkSync("/proc/thread-self").split("/").pop());
    return Number.isInteger(tid) && tid > 0 ? tid : null;
  } catch {
    return null;
  }
}

/** Sets the calling thread's niceness to `nice` (0 leaves it). Returns whether it did. */
export function lowerThreadPriority(nice: number): boolean {
  if (!(nice > 0)) return false;
  const tid = threadId();
  if (tid === null) return false;
  try {
    os.setPriority(tid, nice);
    return true;
  } catch {
    return false;
  }
}
