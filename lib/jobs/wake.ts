/**
 * Wakes this process's job runner and webhook dispatcher without waiting for their next poll: a job submitted here
 * starts at once. Kept on globalThis because the route handler that submits and the runner that boot started live
 * in different Next.js layers (each has its own copy of this module).
 */
const g = globalThis as unknown as { __paretoJobWake?: Set<() => void> };

export function onWake(fn: () => void): () => void {
  g.__paretoJobWake ??= new Set();
  g.__paretoJobWake.add(fn);
  return () => g.__paretoJobWake?.delete(fn);
}

export function wakeRunner(): void {
  for (const fn of g.__paretoJobWake ?? []) fn();
}
