import "server-only";
import { db, type Prisma } from "./client";

export interface AuditSearch {
  action?: string;
  /** Part of the actor's email (emails are stored lower-case). */
  actor?: string;
  from: Date;
  to: Date;
  take: number;
  /** Id of the last entry of the previous page. */
  after?: string;
}

/** The audit log, newest first, filtered by action, actor email and range, a page at a time. */
export function searchAudit(s: AuditSearch) {
  const where: Prisma.AuditLogWhereInput = {
    action: s.action,
    actorEmail: s.actor ? { contains: s.actor.trim().toLowerCase() } : undefined,
    createdAt: { gte: s.from, lt: s.to },
  };
  return db().auditLog.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: s.take,
    ...(s.after ? { cursor: { id: s.after }, skip: 1 } : {}),
  });
}

/** Every action name that has been logged, for the filter's choices. */
export async function auditActions(): Promise<string[]> {
  const rows = await db().auditLog.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } });
  return rows.map((r) => r.action);
}
