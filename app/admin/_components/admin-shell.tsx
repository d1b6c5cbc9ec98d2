import type { ReactNode } from "react";
import { getT } from "@/lib/i18n/server";
import { AdminTabs } from "./admin-tabs";

/** The frame of every /admin page: one h1, the section tabs, the section's lead and content. */
export async function AdminShell({ section, children }: { section: "dashboard" | "users" | "plans" | "models" | "training" | "audit"; children: ReactNode }) {
  const { t } = await getT();
  return (
    <section aria-labelledby="section-title" data-testid="section-admin" className="space-y-6">
      <header className="space-y-4">
        <h1 id="section-title" className="text-2xl font-semibold tracking-tight">
          {t("admin.title")}
          <span className="sr-only"> – {t(`admin.tabs.${section}`)}</span>
        </h1>
        <AdminTabs />
        <p className="text-slate-600">{t(`admin.${section}.lead`)}</p>
      </header>
      <div data-testid={`admin-${section}`}>{children}</div>
    </section>
  );
}
