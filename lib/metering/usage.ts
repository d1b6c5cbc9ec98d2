import "server-only";
import { insertUsageEvents, type UsageEventRow } from "@/lib/db/usage-events";
import { log } from "@/lib/log";
import { flushQuotaUse } from "./quota-leases";

/**
 * Usage events for every request (successful or not), written off the response path in batches. Events are
 * counted in and out, so tests and shutdown can wait until everything accepted has been written.
 */
export interface UsageEvent extends UsageEventRow {
  source: "api" | "playground" | "kserve";
}

const FLUSH_MS = 250;
const BATCH = 200;

class UsageWriter {
  private buffer: UsageEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  accepted = 0;
  written = 0;
  failed = 0;

  record(e: UsageEvent): void {
    this.accepted++;
    this.buffer.push(e);
    if (this.buffer.length >= BATCH) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  /** Writes everything buffered so far; concurrent callers wait for the same writes. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffer.splice(0);
    // Every request in the batch settled its quota before its event was recorded: writing the quota leases' use back
    // first means an event in the database always has its use on the counter too (the counter is never behind).
    this.flushing = this.flushing.then(async () => {
      if (!batch.length) return;
      await flushQuotaUse().catch((e: unknown) => log("warn", "quota use not written before usage events", { error: e instanceof Error ? e.message : String(e) }));
      await this.write(batch);
    });
    return this.flushing;
  }

  private async write(batch: UsageEvent[], attempt = 0): Promise<void> {
    try {
      await insertUsageEvents(batch);
      this.written += batch.length;
    } catch (e) {
      // The database may be briefly away: retry with backoff, then keep the events for the next flush.
      if (attempt < 3) {
        await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
        return this.write(batch, attempt + 1);
      }
      this.failed++;
      log("error", "usage events not written; will retry", { count: batch.length, error: e instanceof Error ? e.message : String(e) });
      this.buffer.unshift(...batch);
      this.timer ??= setTimeout(() => void this.flush(), 2_000);
    }
  }
}

const g = globalThis as unknown as { __paretoUsage?: UsageWriter };

export function usageWriter(): UsageWriter {
  g.__paretoUsage ??= new UsageWriter();
  return g.__paretoUsage;
}
