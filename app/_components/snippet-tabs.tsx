"use client";
import { useState } from "react";
import { SNIPPET_LANGS, type SnippetLang } from "@/lib/api/snippets";
import { useI18n } from "@/lib/i18n/client";
import { CopyButton } from "./copy-button";

/** Tabs of ready-to-copy request snippets. */
export function SnippetTabs({ snippets, testId }: { snippets: Record<SnippetLang, string>; testId?: string }) {
  const { t } = useI18n();
  const [lang, setLang] = useState<SnippetLang>("curl");
  const labels: Record<SnippetLang, string> = { curl: "curl", curlRaw: t("models.card.curlRaw"), js: "JavaScript", python: "Python" };
  return (
    <div className="overflow-hidden rounded-lg ring-1 ring-slate-200" data-testid={testId}>
      <div role="tablist" className="flex items-center gap-1 border-b border-slate-200 bg-slate-50 px-2 py-1.5">
        {SNIPPET_LANGS.map((l) => (
          <button
            key={l}
            role="tab"
            type="button"
            aria-selected={lang === l}
            data-testid={`snippet-tab-${l}`}
            onClick={() => setLang(l)}
            className={`rounded px-2.5 py-1 text-xs font-medium ${lang === l ? "bg-white text-slate-900 shadow-sm ring-1 ring-slate-200" : "text-slate-600 hover:text-slate-900"}`}
          >
            {labels[l]}
          </button>
        ))}
        <span className="ml-auto">
          <CopyButton text={snippets[lang]} testId={`copy-${lang}`} />
        </span>
      </div>
      <pre className="max-h-80 overflow-auto bg-slate-900 p-4 text-xs leading-relaxed text-slate-100" data-testid={`snippet-${lang}`}>
        <code>{snippets[lang]}</code>
      </pre>
    </div>
  );
}
