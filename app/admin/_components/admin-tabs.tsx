"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useI18n } from "@/lib/i18n/client";

const TABS = [
  { href: "/admin", key: "dashboard" },
  { href: "/admin/users", key: "users" },
  { href: "/admin/plans", key: "plans" },
  { href: "/admin/models", key: "models" },
  { href: "/admin/training", key: "training" },
  { href: "/admin/audit", key: "audit" },
] as const;

export function AdminTabs() {
  const { t } = useI18n();
  const pathname = usePathname();
  return (
    <nav aria-label={t("admin.tabs.label")} className="-mx-4 overflow-x-auto border-b border-slate-200 px-4 sm:mx-0 sm:px-0">
      <ul className="flex gap-1">
        {TABS.map((tab) => {
          // A section's sub-pages (a model's card, "bring a model") keep its tab marked.
          const active = pathname === tab.href || (tab.href !== "/admin" && pathname.startsWith(`${tab.href}/`));
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={active ? "page" : undefined}
                data-testid={`admin-tab-${tab.key}`}
                className={`-mb-px block whitespace-nowrap border-b-2 px-2 py-2 sm:px-3 text-sm font-medium ${active ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900"}`}
              >
                {t(`admin.tabs.${tab.key}`)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
