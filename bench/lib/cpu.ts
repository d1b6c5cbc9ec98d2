/**
 * CPU accounting from /proc, so a result can say how much of the machine other processes took while it ran.
 * The benchmark box is shared: a suite measured while something else burns a core is not comparable.
 */
import fs from "node:fs";
import os from "node:os";

interface ProcStat {
  busy: number;
  total: number;
}

function readProcStat(): ProcStat | null {
  try {
    const line = fs.readFileSync("/proc/stat", "utf8").split("\n")[0];
    // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest is already in user)
    const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const idle = v[3] + v[4];
    const total = v.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** This process's user+system CPU in clock ticks, all threads (workers and ONNX Runtime's pools included). */
function selfTicks(): number | null {
  try {
    const stat = fs.readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

export interface CpuReport {
  wallS: number;
  /** CPU seconds this process used (all its threads). */
  selfCpuS: number;
  /** Share of all cores that were busy, by anyone. */
  busyShare: number;
  /** Share of all cores used by other processes: the noise this measurement ran under. */
  foreignShare: number;
}

/** Starts a watch; `stop()` reports CPU use since. Ticks are USER_HZ (100 on Linux). */
export function cpuWatch(): { stop(): CpuReport } {
  const t0 = performance.now();
  const s0 = readProcStat();
  const self0 = selfTicks();
  return {
    stop(): CpuReport {
      const wallS = (performance.now() - t0) / 1000;
      const s1 = readProcStat();
      const self1 = selfTicks();
      if (!s0 || !s1 || self0 === null || self1 === null) return { wallS, selfCpuS: NaN, busyShare: NaN, foreignShare: NaN };
      const total = s1.total - s0.total;
      const busy = s1.busy - s0.busy;
      const self = self1 - self0;
      return {
        wallS,
        selfCpuS: self / 100,
        busyShare: total > 0 ? busy / total : NaN,
        foreignShare: total > 0 ? Math.max(0, busy - self) / total : NaN,
      };
    },
  };
}

/** Busy share of all cores over one sampling window. */
export async function busyShare(windowMs = 1000): Promise<number> {
  const a = readProcStat();
  await new Promise((r) => setTimeout(r, windowMs));
  const b = readProcStat();
  if (!a || !b || b.total === a.total) return NaN;
  return (b.busy - a.busy) / (b.total - a.total);
}

/** Waits (up to `maxS`) until the machine is mostly idle; returns the last busy share seen. */
export async function waitForIdle(maxS: number, threshold = 0.15): Promise<{ idle: boolean; busy: number; waitedS: number }> {
  const t0 = performance.now();
  let busy = await busyShare();
  while (!(busy < threshold) && (performance.now() - t0) / 1000 < maxS) busy = await busyShare();
  return { idle: busy < threshold, busy, waitedS: (performance.now() - t0) / 1000 };
}

export function loadAverage(): [number, number, number] {
  return os.loadavg() as [number, number, number];
}
