"use client";
import { useI18n } from "@/lib/i18n/client";

export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const { t } = useI18n();
  return (
    <section role="alert" className="mx-auto max-w-xl rounded-lg bg-white p-8 text-center shadow-sm ring-1 ring-slate-200">
      <h1 className="text-2xl font-semibold">{t("errors.errorTitle")}</h1>
      <p className="mt-3 text-slate-600">{t("errors.errorBody")}</p>
      <button type="button" onClick={reset} className="mt-6 rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700">
        {t("errors.retry")}
      </button>
    </section>
  );
}
