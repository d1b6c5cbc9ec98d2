import { z } from "zod";
import { usageFilterFields, withRange } from "./usage";

export const auditQuery = withRange({
  from: usageFilterFields.from,
  to: usageFilterFields.to,
  action: z.string().max(100).optional(),
  actor: z.string().max(320).optional().describe("Part of the actor's email."),
  limit: z.coerce.number().int().min(1).max(500).optional().describe("Entries per page (default 100)."),
  after: z.string().max(64).optional().describe("next_cursor of the previous page."),
});

export const auditEntryOutput = z.object({
  id: z.string(),
  object: z.literal("audit_entry"),
  created_at: z.string(),
  actor_id: z.string().nullable(),
  actor_email: z.string().nullable(),
  action: z.string(),
  target_type: z.string().nullable(),
  target_id: z.string().nullable(),
  details: z.unknown(),
  ip: z.string().nullable(),
});

export const auditListOutput = z.object({
  object: z.literal("list"),
  data: z.array(auditEntryOutput),
  actions: z.array(z.string()).describe("Every action name logged so far."),
  next_cursor: z.string().nullable(),
});

export type AuditList = z.output<typeof auditListOutput>;
