import Link from "next/link";
import { requireAdmin } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { AdminShell } from "../_components/admin-shell";
import { ModelsPanel } from "../_components/models-panel";

export const metadata = { title: "Admin · Models" };

export default async function Page() {
  await requireAdmin("/admin/models");
  const { t } = await getT();
  return (
    <AdminShell section="models">
      <div className="mb-4 flex flex-wrap justify-end gap-2">
        <Link href="/admin/training/new" className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50" data-testid="train-model-link">
          {t("training.list.new")}
        </Link>
        <Link href="/admin/models/new" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700" data-testid="bring-model-link">
          {t("registry.upload.open")}
        </Link>
      </div>
      <ModelsPanel />
    </AdminShell>
  );
}
