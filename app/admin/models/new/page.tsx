import Link from "next/link";
import { requireAdmin } from "@/lib/auth/session";
import { env } from "@/lib/config/env";
import { getT } from "@/lib/i18n/server";
import { AdminShell } from "../../_components/admin-shell";
import { UploadForm } from "../_components/upload-form";

export const metadata = { title: "Admin · Bring a model" };

export default async function Page() {
  await requireAdmin("/admin/models/new");
  const { t } = await getT();
  return (
    <AdminShell section="models">
      <div className="max-w-3xl space-y-4 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="bring-model">
        <Link href="/admin/models" className="text-sm text-brand-600 hover:underline">← {t("registry.card.back")}</Link>
        <h2 className="text-lg font-semibold">{t("registry.upload.title")}</h2>
        <p className="text-sm text-slate-600">{t("registry.upload.lead")}</p>
        <UploadForm maxMb={env.maxModelMb()} />
      </div>
    </AdminShell>
  );
}
