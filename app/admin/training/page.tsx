import Link from "next/link";
import { requireAdmin } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { AdminShell } from "../_components/admin-shell";
import { RunsList } from "./_components/runs-list";

export const metadata = { title: "Admin · Training" };

export default async function Page() {
  await requireAdmin("/admin/training");
  const { t } = await getT();
  return (
    <AdminShell section="training">
      <div className="mb-4 flex justify-end">
        <Link href="/admin/training/new" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700" data-testid="train-link">
          {t("training.list.new")}
        </Link>
      </div>
      <RunsList />
    </AdminShell>
  );
}
