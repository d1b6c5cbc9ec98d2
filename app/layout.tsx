import type { Metadata } from "next";
import type { ReactNode } from "react";
import { getSessionUser } from "@/lib/auth/session";
import { isServing } from "@/lib/boot/state";
import { I18nProvider } from "@/lib/i18n/client";
import { getT } from "@/lib/i18n/server";
import { SiteFooter } from "./_components/site-footer";
import { SiteHeader } from "./_components/site-header";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Pareto", template: "%s · Pareto" },
  description: "Self-hosted models, measured on your hardware.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // While boot is still making the schema current (or waiting for the database), nothing below can read it.
  const serving = isServing();
  const [{ locale, messages, t }, user] = await Promise.all([getT(), serving ? getSessionUser() : null]);
  return (
    <html lang={locale === "zh" ? "zh-CN" : "en"}>
      <body className="flex min-h-screen flex-col bg-slate-50 text-slate-900 antialiased">
        <I18nProvider locale={locale} messages={messages}>
          <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
            {t("app.skipToContent")}
          </a>
          <SiteHeader
            user={user ? { email: user.email, name: user.name, role: user.role, plan: user.plan?.name ?? null } : null}
          />
          <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-8 sm:px-6">
            {serving ? (
              children
            ) : (
              <>
                <meta httpEquiv="refresh" content="3" />
                <p role="status" className="rounded border border-amber-200 bg-amber-50 px-4 py-3 text-amber-900">
                  {t("app.starting")}
                </p>
              </>
            )}
          </main>
          <SiteFooter />
        </I18nProvider>
      </body>
    </html>
  );
}
