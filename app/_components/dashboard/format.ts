import type { Locale, Translate } from "@/lib/i18n/config";

export const intlLocale = (l: Locale) => (l === "zh" ? "zh-CN" : "en-US");

export function fmtInt(n: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: 0 }).format(n);
}

export function fmtNum(n: number, locale: Locale, digits = 1): string {
  return new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: digits }).format(n);
}

export function fmtPct(ratio: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale(locale), { style: "percent", maximumFractionDigits: ratio > 0 && ratio < 0.01 ? 2 : 1 }).format(ratio);
}

/** A duration in the largest sensible unit: 830 ms, 4.2 s, 12.5 min, 3.1 h. */
export function fmtMs(ms: number | null | undefined, t: Translate, locale: Locale): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1_000) return t("usage.units.ms", { value: fmtNum(ms, locale, ms < 10 ? 2 : 1) });
  if (ms < 60_000) return t("usage.units.s", { value: fmtNum(ms / 1_000, locale, 2) });
  if (ms < 3_600_000) return t("usage.units.min", { value: fmtNum(ms / 60_000, locale, 1) });
  return t("usage.units.h", { value: fmtNum(ms / 3_600_000, locale, 1) });
}

export function fmtBytes(b: number | null | undefined, locale: Locale): string {
  if (b === null || b === undefined) return "—";
  const units = ["B", "KB", "MB", "GB"];
  let v = b;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${fmtNum(v, locale, i ? 1 : 0)} ${units[i]}`;
}

export function fmtDateTime(iso: string, locale: Locale, seconds = false): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "medium", timeStyle: seconds ? "medium" : "short" }).format(new Date(iso));
}

export function fmtDate(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: "medium" }).format(new Date(iso));
}

/** "2026-03-05" (a UTC day bucket) as a short axis label. */
export function fmtDay(day: string, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { month: "short", day: "numeric", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));
}
