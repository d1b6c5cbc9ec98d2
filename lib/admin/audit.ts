import "server-only";
import { auditActions, searchAudit } from "@/lib/db/audit-search";

export type AuditEntry = Awaited<ReturnType<typeof searchAudit>>[number];

/** One page of the audit log. */
export interface AuditPage {
  entries: AuditEntry[];
  /** Every action name logged so far (for the filter). */
  actions: string[];
  /** The id to continue after, when the page was full. */
  nextCursor: string | null;
}

/** One page of the audit log, newest first, with the cursor of the next page. */
export async function auditPage(q: { from: Date; to: Date; action?: string; actor?: string; limit?: number; after?: string }): Promise<AuditPage> {
  const take = q.limit ?? 100;
  const [rows, actions] = await Promise.all([
    searchAudit({ action: q.action || undefined, actor: q.actor || undefined, from: q.from, to: q.to, take, after: q.after }),
    auditActions(),
  ]);
  return { entries: rows, actions, nextCursor: rows.length === take ? rows[rows.length - 1].id : null };
}
