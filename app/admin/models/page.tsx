import { requireAdmin } from "@/lib/auth/session";
import { AdminShell } from "../_components/admin-shell";
import { ModelsPanel } from "../_components/models-panel";

export const metadata = { title: "Admin · Models" };

export default async function Page() {
  await requireAdmin("/admin/models");
  return (
    <AdminShell section="models">
      <ModelsPanel />
    </AdminShell>
  );
}
