"use client";
import Link from "next/link";
import { signOut } from "next-auth/react";
import { useEffect, useRef, useState } from "react";
import { useI18n } from "@/lib/i18n/client";

export interface HeaderUser {
  email: string;
  name: string | null;
  role: "USER" | "ADMIN";
  plan: string | null;
}

export function UserMenu({ user }: { user: HeaderUser | null }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === "Escape" : !ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);

  if (!user) {
    return (
      <div className="flex items-center gap-2 text-sm">
        <Link href="/signin" className="rounded px-3 py-1.5 font-medium text-slate-700 hover:bg-slate-100" data-testid="signin-link">
          {t("user.signIn")}
        </Link>
        <Link href="/signup" className="rounded bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700" data-testid="signup-link">
          {t("user.signUp")}
        </Link>
      </div>
    );
  }

  const initial = (user.name || user.email).slice(0, 1).toUpperCase();
  return (
    <div className="relative" ref={ref}>
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={t("user.accountMenu")}
        data-testid="user-menu"
        onClick={() => setOpen((o) => !o)}
        className="flex h-8 w-8 items-center justify-center rounded-full bg-brand-600 text-sm font-semibold text-white"
      >
        {initial}
      </button>
      {open && (
        <div role="menu" className="absolute right-0 z-50 mt-2 w-64 rounded-md border border-slate-200 bg-white p-2 shadow-lg">
          <p className="truncate px-2 py-1 text-sm text-slate-700" data-testid="user-email">
            {t("user.signedInAs", { email: user.email })}
          </p>
          <p className="px-2 pb-2 text-xs text-slate-500">
            {user.role === "ADMIN" ? t("user.roleAdmin") : t("user.roleUser")}
            {user.plan ? ` · ${t("user.plan", { plan: user.plan })}` : ""}
          </p>
          <Link href="/account" role="menuitem" data-testid="account-link" className="block w-full rounded px-2 py-1.5 text-left text-sm text-slate-700 hover:bg-slate-100">
            {t("user.account")}
          </Link>
          <button
            type="button"
            role="menuitem"
            data-testid="signout"
            onClick={() => void signOut({ callbackUrl: "/" })}
            className="w-full rounded px-2 py-1.5 text-left text-sm text-slate-700 hover:bg-slate-100"
          >
            {t("user.signOut")}
          </button>
        </div>
      )}
    </div>
  );
}
