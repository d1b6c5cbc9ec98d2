import { requireAdmin } from "@/lib/auth/session";
import { AdminDashboard } from "./_components/admin-dashboard";
import { AdminShell } from "./_components/admin-shell";

export const metadata = { title: "Admin" };

export default async function AdminPage() {
  await requireAdmin("/admin");
  return (
    <AdminShell section="dashboard">
      <AdminDashboard />
    </AdminShell>
  );
}
