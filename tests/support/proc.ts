/** Memory of a process tree from /proc (Linux): the server under test is `start.mjs` → `next start` (+ workers as threads). */
import fs from "node:fs";

function children(pid: number): number[] {
  const out: number[] = [];
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      // Field 4 of /proc/<pid>/stat is the parent; the command name (field 2) may hold spaces, so split after ")".
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) out.push(Number(d));
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

export function processTree(root: number): number[] {
  const all = [root];
  for (let i = 0; i < all.length; i++) all.push(...children(all[i]));
  return all;
}

/** A field of /proc/<pid>/status in MB (VmRSS: resident now, VmHWM: peak resident since start); 0 if gone. */
function statusMb(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Resident memory of the whole tree now, and the sum of each process's peak, in MB. */
export function treeMemory(root: number): { rssMb: number; peakMb: number } {
  const pids = processTree(root);
  return { rssMb: pids.reduce((s, p) => s + statusMb(p, "VmRSS"), 0), peakMb: pids.reduce((s, p) => s + statusMb(p, "VmHWM"), 0) };
}
