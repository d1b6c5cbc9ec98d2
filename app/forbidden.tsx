import Link from "next/link";
import { getT } from "@/lib/i18n/server";

export default async function Forbidden() {
  const { t } = await getT();
  return (
    <section className="mx-auto max-w-xl rounded-lg bg-white p-8 text-center shadow-sm ring-1 ring-slate-200" data-testid="forbidden">
      <p className="text-sm font-semibold text-red-600">403</p>
      <h1 className="mt-2 text-2xl font-semibold">{t("errors.forbiddenTitle")}</h1>
      <p className="mt-3 text-slate-600">{t("errors.forbiddenBody")}</p>
      <Link href="/" className="mt-6 inline-block text-brand-600 hover:underline">{t("errors.backHome")}</Link>
    </section>
  );
}
