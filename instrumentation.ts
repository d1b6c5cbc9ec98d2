/**
 * Next.js calls register() once per server process, and holds every request until it resolves
 * (next-server.js prepareImpl). lib/boot decides what is awaited and what runs in the background.
 */
export async function register(): Promise<void> {
  // `next build` loads this file to collect page data: nothing may start then (no workers, no database).
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  // The condition is replaced at compile time, so the edge bundle never sees the Node.js-only modules.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { boot } = await import("./lib/boot");
    await boot();
  }
}
