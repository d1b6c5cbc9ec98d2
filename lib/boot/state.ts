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

/**
 * Requests can be served once the schema is current and the runtime exists (the task defaults may still be loading:
 * a request for one just waits for its load). Before that, routes answer 503 "starting" and pages say so.
 */
export function isServing(): boolean {
  const s = bootState();
  return s.phase === "ready" || (s.phase === "booting" && s.step === "preload");
}
