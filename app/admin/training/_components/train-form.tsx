"use client";
import { useRouter } from "next/navigation";
import { useRef, useState, type ReactNode } from "react";
import { MODEL_ID } from "@/lib/api/schemas/registry";
import { useI18n } from "@/lib/i18n/client";
import { renderMessage } from "@/lib/i18n/message";
import { isError, send } from "@/app/playground/_components/send";
import { DropZone } from "@/app/admin/models/_components/drop-zone";
import { DatasetReport } from "./dataset-report";
import { BUDGET, budgetSeconds, idFromFileName } from "./train-rules";
import type { DatasetPreview, Objective, TrainingRun } from "./training-run";

const input = "mt-1 w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm aria-[invalid=true]:border-red-500";
const OBJECTIVES: readonly Objective[] = ["balanced", "most_accurate", "fastest"];
/** Text fields in the order the API reads them: before the file, so a bad id is refused before the bytes arrive. */
const FIELDS = ["id", "name", "description", "task", "budget_s", "objective", "seed"] as const;
type Field = (typeof FIELDS)[number];
/** An API refusal as one line: its message and code. */
function refusal(body: unknown, status: number): string {
  return isError(body) && body.error ? `${body.error.message} (${body.error.code})` : `HTTP ${status}`;
}

type Preview = { kind: "none" } | { kind: "reading" } | { kind: "ready"; report: DatasetPreview } | { kind: "failed"; message: string };

function Labelled({ name, label, hint, error, children }: { name: string; label: string; hint?: string; error?: string; children: (a: { id: string; "aria-invalid"?: boolean; "aria-describedby"?: string }) => ReactNode }) {
  const id = `train-${name}`;
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return (
    <div data-testid={`field-${name}`}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">{label}</label>
      {children({ id, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      {hint && <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">{hint}</p>}
      {error && <p id={`${id}-error`} role="alert" className="mt-1 text-sm text-red-700" data-testid={`error-${name}`}>{error}</p>}
    </div>
  );
}

/**
 * "Train a model": drop a dataset and see what the trainer will read from it (label counts, the rows it will leave
 * out and why, from `POST /api/v1/training-runs/preview`), name the model, set the budget and objective, and start
 * (`POST /api/v1/training-runs`); the run's page follows its progress.
 */
export function TrainForm({ maxMb }: { maxMb: number }) {
  const { t, messages } = useI18n();
  const router = useRouter();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<Preview>({ kind: "none" });
  const [text, setText] = useState<Record<Field, string>>({ id: "", name: "", description: "", task: "text-classification", budget_s: String(BUDGET.default), objective: "balanced", seed: "1" });
  const [idTouched, setIdTouched] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<Field | "dataset", string>>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [sending, setSending] = useState<number | null>(null);
  const previewFor = useRef<File | null>(null);
  const set = (k: Field) => (v: string) => setText((s) => ({ ...s, [k]: v }));

  async function choose(f: File | null) {
    setFile(f);
    setErrors((e) => ({ ...e, dataset: undefined }));
    previewFor.current = f;
    if (!f) return setPreview({ kind: "none" });
    if (!idTouched) setText((s) => ({ ...s, id: idFromFileName(f.name) }));
    if (f.size > maxMb * 1024 * 1024) {
      setPreview({ kind: "failed", message: t("training.form.tooLarge", { max: maxMb }) });
      return;
    }
    setPreview({ kind: "reading" });
    const form = new FormData();
    form.set("dataset", f, f.name);
    try {
      const r = await send<DatasetPreview>("/api/v1/training-runs/preview", form, () => undefined);
      if (previewFor.current !== f) return; // another file was chosen meanwhile
      // By status, not by shape: a preview (and a run) carries an `error` field of its own, null when all is well.
      if (r.ok) setPreview({ kind: "ready", report: r.body as DatasetPreview });
      else setPreview({ kind: "failed", message: refusal(r.body, r.status) });
    } catch {
      if (previewFor.current === f) setPreview({ kind: "failed", message: t("training.form.network") });
    }
  }

  /** What the browser can check; the server checks all of it again. */
  function check(): Partial<Record<Field | "dataset", string>> {
    const out: Partial<Record<Field | "dataset", string>> = {};
    if (!file) out.dataset = t("training.form.needDataset");
    if (!MODEL_ID.test(text.id)) out.id = t("training.form.badId");
    if (budgetSeconds(text.budget_s) === null) out.budget_s = t("training.form.badBudget", { min: BUDGET.min, max: BUDGET.max });
    if (!/^\d{1,9}$/.test(text.seed)) out.seed = t("training.form.badSeed");
    return out;
  }

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setGeneral(null);
    const problems = check();
    setErrors(problems);
    if (Object.keys(problems).length || !file) return setGeneral(t("training.form.fixFields"));
    const form = new FormData();
    for (const k of FIELDS) if (text[k].trim() !== "") form.set(k, text[k].trim());
    form.set("dataset", file, file.name);
    setSending(0);
    let r;
    try {
      r = await send<TrainingRun>("/api/v1/training-runs", form, (p) => setSending(p));
    } catch {
      setSending(null);
      return setGeneral(t("training.form.network"));
    }
    setSending(null);
    if (!r.ok) {
      const err = isError(r.body) && r.body.error ? r.body.error : { code: "http_error", message: `HTTP ${r.status}`, param: undefined };
      const message = err.message;
      const param = err.param;
      if (param && (FIELDS.includes(param as Field) || param === "dataset")) {
        setErrors({ [param]: message });
        return setGeneral(t("training.form.fixFields"));
      }
      return setGeneral(t("training.form.refused", { message, code: err.code }));
    }
    router.push(`/admin/training/${encodeURIComponent((r.body as TrainingRun).id)}`);
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="space-y-6" data-testid="train-form" aria-busy={sending !== null}>
      <section aria-labelledby="train-data-title" className="space-y-3">
        <h3 id="train-data-title" className="text-base font-semibold">{t("training.form.dataTitle")}</h3>
        <DropZone
          field="dataset"
          label={t("training.form.dataset")}
          hint={t("training.form.datasetHint", { max: maxMb })}
          accept=".csv,.jsonl,.ndjson,.json,.txt,text/csv,application/jsonl"
          file={file}
          error={errors.dataset ?? (preview.kind === "failed" ? preview.message : undefined)}
          onChange={(f) => void choose(f)}
        />
        {preview.kind === "reading" && (
          <p className="flex items-center gap-2 text-sm text-slate-600" aria-live="polite" data-testid="preview-reading">
            <span className="inline-block h-4 w-4 animate-spin rounded-full border-2 border-brand-500 border-t-transparent" aria-hidden />
            {t("training.form.reading")}
          </p>
        )}
        {preview.kind === "ready" && (
          <div className="rounded-md bg-slate-50 p-4 ring-1 ring-slate-200">
            {preview.report.error && (
              <p role="alert" className="mb-3 rounded bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200" data-testid="preview-refusal">
                {t("training.form.untrainable", { reason: renderMessage(messages, preview.report.error.i18n) ?? preview.report.error.message })}
              </p>
            )}
            <DatasetReport report={preview.report} testId="dataset-preview" />
          </div>
        )}
      </section>

      <section aria-labelledby="train-model-title" className="space-y-4">
        <h3 id="train-model-title" className="text-base font-semibold">{t("training.form.modelTitle")}</h3>
        <Labelled name="id" label={t("training.form.id")} hint={t("training.form.idHint")} error={errors.id}>
          {(a) => <input {...a} value={text.id} onChange={(e) => { setIdTouched(true); set("id")(e.target.value); }} required autoComplete="off" spellCheck={false} className={`${input} font-mono`} />}
        </Labelled>
        <Labelled name="name" label={t("training.form.name")} error={errors.name}>
          {(a) => <input {...a} value={text.name} onChange={(e) => set("name")(e.target.value)} className={input} />}
        </Labelled>
        <Labelled name="description" label={t("training.form.description")} error={errors.description}>
          {(a) => <textarea {...a} value={text.description} onChange={(e) => set("description")(e.target.value)} rows={2} className={input} />}
        </Labelled>
      </section>

      <section aria-labelledby="train-search-title" className="space-y-4">
        <h3 id="train-search-title" className="text-base font-semibold">{t("training.form.searchTitle")}</h3>
        <Labelled name="budget_s" label={t("training.form.budget")} hint={t("training.form.budgetHint", { min: BUDGET.min, max: BUDGET.max })} error={errors.budget_s}>
          {(a) => <input {...a} type="number" min={BUDGET.min} max={BUDGET.max} step={1} value={text.budget_s} onChange={(e) => set("budget_s")(e.target.value)} className={`${input} max-w-40`} />}
        </Labelled>
        <fieldset data-testid="field-objective">
          <legend className="text-sm font-medium text-slate-700">{t("training.form.objective")}</legend>
          <div className="mt-1 space-y-1.5">
            {OBJECTIVES.map((o) => (
              <label key={o} className="flex items-start gap-2 text-sm">
                <input type="radio" name="objective" value={o} checked={text.objective === o} onChange={() => set("objective")(o)} className="mt-1" data-testid={`objective-${o}`} />
                <span>
                  <span className="font-medium">{t(`training.objective.${o}`)}</span>
                  <span className="block text-xs text-slate-500">{t(`training.objective.${o}Hint`)}</span>
                </span>
              </label>
            ))}
          </div>
          {errors.objective && <p role="alert" className="mt-1 text-sm text-red-700" data-testid="error-objective">{errors.objective}</p>}
        </fieldset>
        <details>
          <summary className="cursor-pointer text-sm text-slate-700">{t("training.form.advanced")}</summary>
          <div className="mt-3">
            <Labelled name="seed" label={t("training.form.seed")} hint={t("training.form.seedHint")} error={errors.seed}>
              {(a) => <input {...a} type="number" min={0} step={1} value={text.seed} onChange={(e) => set("seed")(e.target.value)} className={`${input} max-w-40`} />}
            </Labelled>
          </div>
        </details>
      </section>

      {general && <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="train-error">{general}</p>}
      {sending !== null && (
        <div className="space-y-1" aria-live="polite" data-testid="train-progress">
          <p className="text-sm text-slate-600">{sending < 1 ? t("training.form.uploading", { p: Math.round(sending * 100) }) : t("training.form.starting")}</p>
          <progress value={sending} max={1} aria-label={t("training.form.uploadLabel")} className="h-2 w-full" />
        </div>
      )}
      <button type="submit" disabled={sending !== null} data-testid="train-start" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60">
        {t("training.form.start")}
      </button>
    </form>
  );
}
