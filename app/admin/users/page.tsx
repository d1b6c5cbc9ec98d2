import { requireAdmin } from "@/lib/auth/session";
import { AdminShell } from "../_components/admin-shell";
import { UsersPanel } from "../_components/users-panel";

export const metadata = { title: "Admin · Users" };

export default async function Page() {
  const me = await requireAdmin("/admin/users");
  return (
    <AdminShell section="users">
      <UsersPanel selfId={me.id} />
    </AdminShell>
  );
}
