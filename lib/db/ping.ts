import "server-only";
import { db } from "./client";

/** One round trip to the database (readiness): resolves when it answers, rejects with the driver's error. */
export async function pingDb(): Promise<void> {
  await db().$queryRawUnsafe("SELECT 1");
}
