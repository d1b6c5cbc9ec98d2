import Link from "next/link";
import { getT } from "@/lib/i18n/server";

export async function SiteFooter() {
  const { t } = await getT();
  return (
    <footer className="border-t border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-col gap-2 px-4 py-4 text-sm text-slate-500 sm:flex-row sm:items-center sm:justify-between sm:px-6">
        <p>{t("footer.text")}</p>
        <nav className="flex gap-4">
          <Link href="/docs" className="hover:text-slate-700">{t("footer.docs")}</Link>
          <Link href="/api/ready" className="hover:text-slate-700">{t("footer.health")}</Link>
        </nav>
      </div>
    </footer>
  );
}
