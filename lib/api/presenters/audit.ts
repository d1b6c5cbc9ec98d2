import "server-only";
import type { AuditPage } from "@/lib/admin/audit";
import { auditListOutput } from "../schemas/audit";

/** A page of the audit log as the API shows it. */
export function presentAuditPage(p: AuditPage) {
  return auditListOutput.parse({
    object: "list",
    data: p.entries.map((r) => ({
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
    actions: p.actions,
    next_cursor: p.nextCursor,
  });
}
