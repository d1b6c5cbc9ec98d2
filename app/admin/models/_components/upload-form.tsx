"use client";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { useI18n } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n/config";
import { isError, send } from "@/app/playground/_components/send";
import { DropZone } from "./drop-zone";
import { checkDraft, FILE_SLOTS, type FileSlot, type UploadTask } from "./upload-rules";

type Field = FileSlot["field"];
type Phase = { kind: "idle" } | { kind: "sending"; progress: number };

const input = "mt-1 w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm aria-[invalid=true]:border-red-500";
const TASKS: readonly UploadTask[] = ["tensor", "vad", "ocr"];
/** Text fields in the order the API reads them (before the files, so a bad id is refused before bytes are stored). */
const TEXT_FIELDS = ["id", "task", "name", "version", "license", "description", "sticky", "eval_metric"] as const;

function FieldError({ id, text, field }: { id: string; text?: string; field: string }) {
  return text ? <p id={id} role="alert" className="mt-1 text-sm text-red-700" data-testid={`error-${field}`}>{text}</p> : null;
}

function TextField({ name, label, hint, error, children }: { name: string; label: string; hint?: string; error?: string; children: (a11y: { id: string; "aria-invalid"?: boolean; "aria-describedby"?: string }) => ReactNode }) {
  const id = `upload-${name}`;
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return (
    <div data-testid={`field-${name}`}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">{label}</label>
      {children({ id, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      {hint && <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">{hint}</p>}
      <FieldError id={`${id}-error`} text={error} field={name} />
    </div>
  );
}

/**
 * Upload of a new model (`POST /api/v1/admin/models`) or of a new version of one (`…/{id}/versions`): checks the
 * draft first, sends it with XMLHttpRequest for the progress bar, and shows the API's refusal under the field its
 * `param` names (files included). A new model opens its card; a new version calls `onDone`.
 */
export function UploadForm({ maxMb, model, onDone }: { maxMb: number; model?: { id: string; task: UploadTask }; onDone?: () => void }) {
  const { t } = useI18n();
  const router = useRouter();
  const newModel = !model;
  const [text, setText] = useState<Record<(typeof TEXT_FIELDS)[number], string>>({ id: "", task: model?.task ?? "tensor", name: "", version: "", license: "", description: "", sticky: "false", eval_metric: "accuracy" });
  const [files, setFiles] = useState<Partial<Record<Field, File | null>>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const task = text.task as UploadTask;
  const set = (k: (typeof TEXT_FIELDS)[number]) => (v: string) => setText((s) => ({ ...s, [k]: v }));

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setGeneral(null);
    const problems = checkDraft({ id: text.id, version: text.version, task, evalMetric: text.eval_metric, files }, maxMb, { newModel });
    const shown = Object.fromEntries(Object.entries(problems).map(([k, p]) => [k, t(`registry.upload.${p!.key}` as MessageKey, p!.vars)]));
    setErrors(shown);
    if (Object.keys(shown).length) return setGeneral(t("registry.upload.fixFields"));

    const form = new FormData();
    for (const k of TEXT_FIELDS) {
      if (!newModel && !["version", "eval_metric"].includes(k)) continue;
      if (k === "eval_metric" && (task !== "tensor" || !files.eval)) continue;
      if (text[k] !== "") form.set(k, text[k]);
    }
    for (const slot of FILE_SLOTS[task]) {
      const f = files[slot.field];
      if (f) form.set(slot.field, f, f.name);
    }
    const url = newModel ? "/api/v1/admin/models" : `/api/v1/admin/models/${encodeURIComponent(model.id)}/versions`;
    setPhase({ kind: "sending", progress: 0 });
    let r;
    try {
      r = await send<{ id: string }>(url, form, (p) => setPhase({ kind: "sending", progress: p }));
    } catch {
      setPhase({ kind: "idle" });
      return setGeneral(t("registry.upload.errNetwork"));
    }
    setPhase({ kind: "idle" });
    if (!r.ok || isError(r.body)) {
      const err = isError(r.body) ? r.body.error : { code: "http_error", message: `HTTP ${r.status}`, param: undefined };
      const known = err.param && (TEXT_FIELDS.includes(err.param as (typeof TEXT_FIELDS)[number]) || FILE_SLOTS[task].some((s) => s.field === err.param));
      if (known) {
        setErrors({ [err.param!]: err.message });
        return setGeneral(t("registry.upload.fixFields"));
      }
      return setGeneral(t("registry.upload.refused", { message: `${err.message} (${err.code})` }));
    }
    if (newModel) router.push(`/admin/models/${encodeURIComponent(r.body.id)}`);
    else {
      setFiles({});
      setText((s) => ({ ...s, version: "" }));
      onDone?.();
    }
  }

  const fileLabel = (f: Field) => t(`registry.upload.${f}` as MessageKey);
  const sending = phase.kind === "sending";
  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="space-y-5" data-testid={newModel ? "upload-form" : "version-form"} aria-busy={sending}>
      {newModel && (
        <>
          <TextField name="id" label={t("registry.upload.id")} hint={t("registry.upload.idHint")} error={errors.id}>
            {(a) => <input {...a} value={text.id} onChange={(e) => set("id")(e.target.value)} required autoComplete="off" spellCheck={false} className={`${input} font-mono`} />}
          </TextField>
          <fieldset data-testid="field-task">
            <legend className="text-sm font-medium text-slate-700">{t("registry.upload.task")}</legend>
            <div className="mt-1 space-y-1">
              {TASKS.map((k) => (
                <label key={k} className="flex items-start gap-2 text-sm">
                  <input type="radio" name="task" value={k} checked={task === k} onChange={() => set("task")(k)} className="mt-1" data-testid={`task-${k}`} />
                  {t(`registry.upload.task${k === "tensor" ? "Tensor" : k === "vad" ? "Vad" : "Ocr"}`)}
                </label>
              ))}
            </div>
            <FieldError id="upload-task-error" text={errors.task} field="task" />
          </fieldset>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField name="name" label={t("registry.upload.name")} error={errors.name}>
              {(a) => <input {...a} value={text.name} onChange={(e) => set("name")(e.target.value)} className={input} />}
            </TextField>
            <TextField name="license" label={t("registry.upload.license")} error={errors.license}>
              {(a) => <input {...a} value={text.license} onChange={(e) => set("license")(e.target.value)} placeholder="Apache-2.0" className={input} />}
            </TextField>
          </div>
          <TextField name="description" label={t("registry.upload.description")} error={errors.description}>
            {(a) => <textarea {...a} value={text.description} onChange={(e) => set("description")(e.target.value)} rows={2} className={input} />}
          </TextField>
        </>
      )}
      <TextField name="version" label={t("registry.upload.version")} hint={t("registry.upload.versionHint")} error={errors.version}>
        {(a) => <input {...a} value={text.version} onChange={(e) => set("version")(e.target.value)} placeholder={newModel ? "1" : "2"} required={!newModel} spellCheck={false} className={`${input} max-w-xs font-mono`} />}
      </TextField>
      {newModel && (
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" checked={text.sticky === "true"} onChange={(e) => set("sticky")(String(e.target.checked))} data-testid="upload-sticky" />
          {t("registry.upload.sticky")}
        </label>
      )}
      <fieldset className="space-y-4">
        <legend className="text-sm font-semibold text-slate-800">{t("registry.upload.files")}</legend>
        <p className="text-xs text-slate-500">{t("registry.upload.maxSize", { max: maxMb })}</p>
        {FILE_SLOTS[task].map((slot) => (
          <DropZone
            key={`${task}-${slot.field}`}
            field={slot.field}
            label={fileLabel(slot.field)}
            hint={slot.field === "eval" ? t("registry.upload.evalHint") : undefined}
            accept={slot.accept}
            file={files[slot.field] ?? null}
            error={errors[slot.field]}
            onChange={(f) => {
              setFiles((s) => ({ ...s, [slot.field]: f }));
              setErrors((s) => {
                const next = { ...s };
                delete next[slot.field];
                return next;
              });
            }}
          />
        ))}
        {task === "tensor" && files.eval && (
          <TextField name="eval_metric" label={t("registry.upload.evalMetric")} error={errors.eval_metric}>
            {(a) => (
              <select {...a} value={text.eval_metric} onChange={(e) => set("eval_metric")(e.target.value)} className={`${input} max-w-md`}>
                <option value="accuracy">{t("registry.upload.metricAccuracy")}</option>
                <option value="mae">{t("registry.upload.metricMae")}</option>
              </select>
            )}
          </TextField>
        )}
      </fieldset>
      {general && <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="upload-error">{general}</p>}
      {sending && (
        <div className="space-y-1" aria-live="polite" data-testid="upload-progress">
          <p className="text-sm text-slate-600">{phase.progress < 1 ? t("registry.upload.uploading", { p: Math.round(phase.progress * 100) }) : t("registry.upload.checking")}</p>
          <progress value={phase.progress} max={1} aria-label={t("registry.upload.progressLabel")} className="h-2 w-full" />
        </div>
      )}
      <button type="submit" disabled={sending} data-testid="upload-submit" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60">
        {newModel ? t("registry.upload.submit") : t("registry.upload.submitVersion")}
      </button>
    </form>
  );
}
