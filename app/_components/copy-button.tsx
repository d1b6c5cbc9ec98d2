"use client";
import { useState } from "react";
import { useI18n } from "@/lib/i18n/client";

export function CopyButton({ text, label, testId }: { text: string; label?: string; testId?: string }) {
  const { t } = useI18n();
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      data-testid={testId}
      onClick={async () => {
        await navigator.clipboard?.writeText(text).catch(() => undefined);
        setDone(true);
        setTimeout(() => setDone(false), 1500);
      }}
      className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50"
    >
      <span aria-live="polite">{done ? t("models.card.copied") : (label ?? t("models.card.copy"))}</span>
    </button>
  );
}
