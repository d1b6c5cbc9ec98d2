"use client";
import { useId, useRef } from "react";
import { useI18n } from "@/lib/i18n/client";
import { bytes } from "@/app/models/_components/format";
import { useFileDrop } from "@/app/_components/use-file-drop";

/**
 * One file of an upload: a drop target that is also a button (Enter or Space opens the file picker), the chosen
 * file with a remove button, a hint and the field's error under it (announced, and tied to the zone by
 * aria-describedby so a screen reader reads it with the label).
 */
export function DropZone({ field, label, hint, accept, file, error, onChange }: { field: string; label: string; hint?: string; accept?: string; file: File | null; error?: string; onChange: (f: File | null) => void }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const drop = useFileDrop(onChange);
  const id = useId();
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return (
    <div data-testid={`field-${field}`}>
      <span id={`${id}-label`} className="block text-sm font-medium text-slate-700">{label}</span>
      <div
        role="button"
        tabIndex={0}
        aria-label={t("registry.upload.dropLabel", { label })}
        aria-describedby={describedBy}
        onClick={() => input.current?.click()}
        onKeyDown={(e) => {
          if (e.key === "Enter" || e.key === " ") {
            e.preventDefault();
            input.current?.click();
          }
        }}
        {...drop.handlers}
        data-testid={`drop-${field}`}
        className={`mt-1 cursor-pointer rounded-lg border-2 border-dashed p-4 text-center text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 ${drop.drag ? "border-brand-500 bg-brand-50" : error ? "border-red-400 bg-red-50" : "border-slate-300 bg-white hover:bg-slate-50"}`}
      >
        {file ? (
          <span className="font-mono text-xs text-slate-800" data-testid={`chosen-${field}`}>{t("registry.upload.chosen", { name: file.name, size: bytes(file.size) })}</span>
        ) : (
          <span className="text-slate-600">
            {t("registry.upload.drop")} <span className="font-medium text-brand-600 underline">{t("registry.upload.browse")}</span>
          </span>
        )}
      </div>
      <input
        ref={input}
        type="file"
        tabIndex={-1}
        aria-hidden
        className="sr-only"
        accept={accept}
        data-testid={`file-${field}`}
        onChange={(e) => {
          onChange(e.target.files?.[0] ?? null);
          e.target.value = "";
        }}
      />
      {file && (
        <button type="button" onClick={() => onChange(null)} className="mt-1 text-xs text-slate-600 underline hover:text-slate-900">
          {t("registry.upload.remove", { name: file.name })}
        </button>
      )}
      {hint && <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">{hint}</p>}
      {error && <p id={`${id}-error`} role="alert" className="mt-1 text-sm text-red-700" data-testid={`error-${field}`}>{error}</p>}
    </div>
  );
}
