"use client";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { useI18n } from "@/lib/i18n/client";
import { LOCALES, type Locale } from "@/lib/i18n/config";

export function LocaleSwitch() {
  const { locale, t } = useI18n();
  const router = useRouter();
  const [pending, start] = useTransition();

  async function change(next: Locale) {
    await fetch("/api/account/locale", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ locale: next }),
    });
    start(() => router.refresh());
  }

  return (
    <label className="flex items-center gap-1 text-sm text-slate-600">
      <span className="sr-only">{t("locale.label")}</span>
      <select
        data-testid="locale-switch"
        value={locale}
        disabled={pending}
        onChange={(e) => void change(e.target.value as Locale)}
        className="rounded border border-slate-300 bg-white px-2 py-1 text-sm"
      >
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l === "zh" ? "zh-CN" : "en"}>
            {t(`locale.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
