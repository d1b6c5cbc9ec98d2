import "server-only";
import { auditListOutput } from "@/lib/api/schemas/audit";
import { auditActions, searchAudit } from "@/lib/db/audit-search";

/** One page of the audit log, newest first, with the cursor of the next page. */
export async function auditPage(q: { from: Date; to: Date; action?: string; actor?: string; limit?: number; after?: string }) {
  const take = q.limit ?? 100;
  const [rows, actions] = await Promise.all([
    searchAudit({ action: q.action || undefined, actor: q.actor || undefined, from: q.from, to: q.to, take, after: q.after }),
    auditActions(),
  ]);
  return auditListOutput.parse({
    object: "list",
    data: rows.map((r) => ({
      id: r.id,
      object: "audit_entry",
      created_at: r.createdAt.toISOString(),
      actor_id: r.actorId,
      actor_email: r.actorEmail,
      action: r.action,
      target_type: r.targetType,
      target_id: r.targetId,
      details: r.details ?? null,
      ip: r.ip,
    })),
    actions,
    next_cursor: rows.length === take ? rows[rows.length - 1].id : null,
  });
}
