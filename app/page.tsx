import Link from "next/link";
import { getSessionUser } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";

const SECTIONS = [
  { href: "/models", key: "models" },
  { href: "/playground", key: "playground" },
  { href: "/keys", key: "keys" },
  { href: "/usage", key: "usage" },
] as const;

export default async function HomePage() {
  const [{ t }, user] = await Promise.all([getT(), getSessionUser()]);
  return (
    <div className="space-y-10">
      <section className="rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200">
        <p className="text-sm font-medium text-brand-600">{t("app.tagline")}</p>
        <h1 className="mt-2 text-3xl font-bold tracking-tight sm:text-4xl" data-testid="home-title">{t("home.title")}</h1>
        <p className="mt-4 max-w-3xl text-lg text-slate-600">{t("home.lead")}</p>
        <div className="mt-6 flex flex-wrap gap-3">
          <Link href="/models" className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700">{t("home.ctaModels")}</Link>
          {user ? (
            <Link href="/playground" className="rounded-md border border-slate-300 bg-white px-4 py-2 font-medium text-slate-700 hover:bg-slate-50">{t("home.ctaPlayground")}</Link>
          ) : (
            <Link href="/signup" className="rounded-md border border-slate-300 bg-white px-4 py-2 font-medium text-slate-700 hover:bg-slate-50">{t("home.ctaSignUp")}</Link>
          )}
        </div>
      </section>
      <section aria-labelledby="sections-title">
        <h2 id="sections-title" className="text-xl font-semibold">{t("home.sectionsTitle")}</h2>
        <ul className="mt-4 grid gap-4 sm:grid-cols-2">
          {SECTIONS.map((s) => (
            <li key={s.href}>
              <Link href={s.href} className="block h-full rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200 hover:ring-brand-500">
                <h3 className="font-semibold">{t(`sections.${s.key}.title`)}</h3>
                <p className="mt-2 text-sm text-slate-600">{t(`sections.${s.key}.description`)}</p>
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
