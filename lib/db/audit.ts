import "server-only";
import { db, type Prisma } from "./client";

export interface AuditEntry {
  actorId?: string | null;
  actorEmail?: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Prisma.InputJsonValue;
  ip?: string | null;
}

export async function writeAudit(e: AuditEntry): Promise<void> {
  await db().auditLog.create({ data: { ...e, details: e.details ?? undefined } });
}

