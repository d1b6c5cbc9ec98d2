import "server-only";
import { db, type Prisma } from "./client";

/** Writes a batch of usage events in one statement (lib/metering/usage.ts buffers and retries them). */
export async function insertUsageEvents(events: Prisma.UsageEventCreateManyInput[]): Promise<void> {
  await db().usageEvent.createMany({ data: events });
}
