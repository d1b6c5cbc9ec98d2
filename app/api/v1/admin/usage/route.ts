import { route } from "@/lib/api/route";
import { presentAdminUsage } from "@/lib/api/presenters/admin-usage";
import { adminUsageQuery } from "@/lib/api/schemas/admin-usage";
import { parseWith } from "@/lib/api/validation";
import { adminUsageReport } from "@/lib/admin/usage";

// GET /api/v1/admin/usage – usage across all users (filters: from, to, model, key, user, top); admins only
export const GET = route({ auth: "admin" }, async ({ req }) => ({
  body: presentAdminUsage(await adminUsageReport(parseWith(adminUsageQuery, Object.fromEntries(new URL(req.url).searchParams)))),
}));
