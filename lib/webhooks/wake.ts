/** The dispatchers running in this process, so an enqueue sends at once instead of at the next poll. */
const waiting = new Set<() => void>();

export function onWake(fn: () => void): () => void {
  waiting.add(fn);
  return () => waiting.delete(fn);
}

export function wakeDispatchers(): void {
  for (const fn of waiting) fn();
}
