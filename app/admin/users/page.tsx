import { requireAdmin } from "@/lib/auth/session";
import { AdminShell } from "../_components/admin-shell";
import { InvitesPanel } from "../_components/invites-panel";
import { UsersPanel } from "../_components/users-panel";

export const metadata = { title: "Admin · Users" };

export default async function Page() {
  const me = await requireAdmin("/admin/users");
  return (
    <AdminShell section="users">
      <div className="space-y-6">
        <UsersPanel selfId={me.id} />
        <InvitesPanel />
      </div>
    </AdminShell>
  );
}
