import { route } from "@/lib/api/route";
import { presentAuditPage } from "@/lib/api/presenters/audit";
import { auditQuery } from "@/lib/api/schemas/audit";
import { parseWith } from "@/lib/api/validation";
import { auditPage } from "@/lib/admin/audit";

// GET /api/v1/admin/audit – the audit log, newest first (filters: action, actor, from, to, limit, after); admins only
export const GET = route({ auth: "admin" }, async ({ req }) => ({
  body: presentAuditPage(await auditPage(parseWith(auditQuery, Object.fromEntries(new URL(req.url).searchParams)))),
}));
