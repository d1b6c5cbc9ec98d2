/**
 * Where boot stands, on globalThis: instrumentation boots the process, while /api/ready reads the state from a
 * route handler's own copy of this module (each Next.js layer has its own copy of lib/).
 */
export type BootStep = "config" | "signals" | "database" | "runtime" | "sweeper" | "preload" | "benchmark";

export type BootState =
  | { phase: "booting"; step: BootStep; attempt: number; lastError?: string }
  | { phase: "ready"; readyAt: Date }
  | { phase: "failed"; step: BootStep; cause: string };

const g = globalThis as unknown as { __paretoBoot?: BootState };

/** Before boot has run at all (a CLI, a test, `next build`), the process is "booting" at its first step. */
export function bootState(): BootState {
  return g.__paretoBoot ?? { phase: "booting", step: "config", attempt: 0 };
}

export function setBootState(s: BootState): void {
  g.__paretoBoot = s;
}
