import { requireAdmin } from "@/lib/auth/session";
import { AdminShell } from "../_components/admin-shell";
import { PlansPanel } from "../_components/plans-panel";

export const metadata = { title: "Admin · Plans" };

export default async function Page() {
  await requireAdmin("/admin/plans");
  return (
    <AdminShell section="plans">
      <PlansPanel />
    </AdminShell>
  );
}
