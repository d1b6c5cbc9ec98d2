import { requireAdmin } from "@/lib/auth/session";
import { AdminShell } from "../_components/admin-shell";
import { AuditPanel } from "../_components/audit-panel";

export const metadata = { title: "Admin · Audit log" };

export default async function Page() {
  await requireAdmin("/admin/audit");
  return (
    <AdminShell section="audit">
      <AuditPanel />
    </AdminShell>
  );
}
