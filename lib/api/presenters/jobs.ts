import "server-only";
import type { JobRow } from "@/lib/db/jobs";
import { jobObject } from "@/lib/jobs/view";
import { jobListOutput, jobOutput } from "../schemas/jobs";

/** A job through its output schema: only the documented fields leave the server. */
export function presentJob(row: JobRow) {
  const o = jobObject(row);
  const { error_i18n, ...rest } = o;
  return jobOutput.parse({ ...rest, error: o.error ? { ...o.error, ...(error_i18n ? { i18n: error_i18n } : {}) } : null });
}

export function presentJobList(rows: JobRow[], hasMore: boolean) {
  return jobListOutput.parse({ object: "list", data: rows.map(presentJob), has_more: hasMore, next_cursor: hasMore && rows.length ? rows[rows.length - 1].id : null });
}
