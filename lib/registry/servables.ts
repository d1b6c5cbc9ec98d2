import "server-only";
/**
 * The registry as requests see it: the model rows (cached for a second per process, refreshed at once by this
 * process's writes and by change notices from other instances), with this process's runtime kept in step — every
 * uploaded version that can serve is known to it, and a removed one is unloaded.
 */
import { listModelRows } from "@/lib/db/models";
import { getRuntime } from "@/lib/runtime";
import { uploadedEntries } from "./entries";

type Rows = Awaited<ReturnType<typeof listModelRows>>;

const g = globalThis as unknown as { __paretoRegistrySynced?: Rows };

/** The rows, after making sure the runtime serves exactly their uploaded versions. */
export async function registryRows(): Promise<Rows> {
  const rows = await listModelRows();
  if (g.__paretoRegistrySynced !== rows) {
    let runtime;
    try {
      runtime = getRuntime();
    } catch {
      return rows; // not started (a script reading the registry): nothing to keep in step
    }
    runtime.syncEntries(uploadedEntries(rows));
    g.__paretoRegistrySynced = rows;
  }
  return rows;
}
