"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n/config";
import { LocaleSwitch } from "./locale-switch";
import { UserMenu, type HeaderUser } from "./user-menu";

const LINKS: { href: string; label: MessageKey; admin?: boolean; signedIn?: boolean }[] = [
  { href: "/models", label: "nav.models" },
  { href: "/playground", label: "nav.playground" },
  { href: "/jobs", label: "jobs.nav", signedIn: true },
  { href: "/selection", label: "selection.nav" },
  { href: "/keys", label: "nav.keys" },
  { href: "/usage", label: "nav.usage" },
  { href: "/admin", label: "nav.admin", admin: true },
];

export function SiteHeader({ user }: { user: HeaderUser | null }) {
  const { t } = useI18n();
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  // Hiding the Admin link is cosmetic; /admin and /api/v1/admin/* check the role on the server.
  // Jobs are a signed-in user's own: the link shows once there is a user (the page itself redirects to sign-in).
  const links = LINKS.filter((l) => (!l.admin || user?.role === "ADMIN") && (!l.signedIn || user));
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="relative mx-auto flex max-w-6xl items-center gap-4 px-4 py-3 sm:px-6">
        <Link href="/" className="flex items-center gap-2 text-lg font-semibold text-slate-900" data-testid="brand">
          <span aria-hidden className="inline-block h-6 w-6 rounded bg-gradient-to-br from-brand-500 to-emerald-500" />
          {t("app.name")}
        </Link>
        <div className="ml-auto flex items-center gap-2 sm:gap-3 md:order-last">
          <LocaleSwitch />
          <UserMenu user={user} />
        </div>
        <button
          type="button"
          className="rounded border border-slate-300 px-2 py-1 text-sm md:hidden"
          aria-expanded={open}
          aria-controls="main-nav"
          onClick={() => setOpen((o) => !o)}
        >
          {t("nav.menu")}
        </button>
        <nav
          id="main-nav"
          aria-label={t("nav.label")}
          className={`${open ? "flex" : "hidden"} absolute left-0 right-0 top-14 z-40 flex-col gap-1 border-b border-slate-200 bg-white px-4 py-2 md:static md:flex md:flex-row md:border-0 md:p-0`}
          data-testid="main-nav"
        >
          {links.map((l) => {
            const active = pathname === l.href || pathname.startsWith(`${l.href}/`);
            return (
              <Link
                key={l.href}
                href={l.href}
                aria-current={active ? "page" : undefined}
                data-testid={`nav-${l.href.slice(1)}`}
                className={`rounded px-3 py-2 text-sm font-medium ${active ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"}`}
                onClick={() => setOpen(false)}
              >
                {t(l.label)}
              </Link>
            );
          })}
        </nav>
      </div>
    </header>
  );
}
