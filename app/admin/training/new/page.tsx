import Link from "next/link";
import { requireAdmin } from "@/lib/auth/session";
import { env } from "@/lib/config/env";
import { getT } from "@/lib/i18n/server";
import { AdminShell } from "../../_components/admin-shell";
import { TrainForm } from "../_components/train-form";

export const metadata = { title: "Admin · Train a model" };

export default async function Page() {
  await requireAdmin("/admin/training/new");
  const { t } = await getT();
  return (
    <AdminShell section="training">
      <div className="max-w-3xl space-y-4 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="train-model">
        <Link href="/admin/training" className="text-sm text-brand-600 hover:underline">← {t("training.run.back")}</Link>
        <h2 className="text-lg font-semibold">{t("training.form.title")}</h2>
        <p className="text-sm text-slate-600">{t("training.form.lead")}</p>
        <TrainForm maxMb={env.maxDatasetMb()} />
      </div>
    </AdminShell>
  );
}
