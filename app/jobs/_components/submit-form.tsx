"use client";
import { useRef, useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { fmtBytes } from "@/app/_components/dashboard/format";
import { useFileDrop } from "@/app/_components/use-file-drop";
import { OptionControls, type Options } from "@/app/playground/_components/options";
import { inferTask, JOB_ACCEPT, type Job, type JobTask } from "./job";
import { submitJob } from "./submit-job";

export interface JobModel {
  id: string;
  task: JobTask;
  name: string;
  default: boolean;
}

const field = "mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";

/**
 * The new-job form: drop or pick a document or a recording, the task (inferred from the file, changeable), the
 * model (the task's models, or auto), the task's options and an optional webhook URL and metadata.
 */
export function SubmitForm({ models, onSubmitted }: { models: JobModel[]; onSubmitted: (job: Job) => void }) {
  const { t, locale } = useI18n();
  const picker = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [task, setTask] = useState<JobTask>("ocr");
  const defaultFor = (k: JobTask) => models.find((m) => m.task === k && m.default)?.id ?? models.find((m) => m.task === k)?.id ?? "auto";
  const [model, setModel] = useState(() => defaultFor("ocr"));
  const [options, setOptions] = useState<Options>({});
  const [dpi, setDpi] = useState("");
  const [webhook, setWebhook] = useState("");
  const [metadata, setMetadata] = useState("");
  const [upload, setUpload] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  function chooseTask(k: JobTask) {
    if (k === task) return;
    setTask(k);
    setModel(defaultFor(k));
    setOptions({});
  }

  function choose(f: File) {
    setFile(f);
    setProblem(null);
    const k = inferTask(f);
    if (k) chooseTask(k);
    else setProblem(t("jobs.form.unknownType", { name: f.name }));
  }
  const drop = useFileDrop(choose);

  async function submit() {
    setProblem(null);
    if (!file) return setProblem(t("jobs.form.needFile"));
    if (metadata.trim()) {
      try {
        const m: unknown = JSON.parse(metadata);
        if (typeof m !== "object" || m === null || Array.isArray(m)) throw new Error("not an object");
      } catch {
        return setProblem(t("jobs.form.badMetadata"));
      }
    }
    setUpload(0);
    const out = await submitJob(
      { task, file, name: file.name, model, options: task === "ocr" && dpi ? { ...options, dpi: Number(dpi) } : options, webhookUrl: webhook.trim() || undefined, metadata: metadata.trim() || undefined },
      (p) => setUpload(p),
    );
    setUpload(null);
    if (!out.ok) return setProblem(t("jobs.form.refused", { code: out.code, message: out.message }));
    setFile(null);
    if (picker.current) picker.current.value = "";
    onSubmitted(out.job);
  }

  const taskModels = models.filter((m) => m.task === task);
  return (
    <section aria-labelledby="new-job-title" className="space-y-4 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="job-form">
      <h2 id="new-job-title" className="text-lg font-semibold">{t("jobs.form.title")}</h2>
      <div {...drop.handlers} className={`rounded-lg border-2 border-dashed p-6 text-center text-sm ${drop.drag ? "border-brand-500 bg-brand-50" : "border-slate-300 bg-white"}`} data-testid="job-dropzone">
        {t("jobs.form.drop")}{" "}
        <button type="button" onClick={() => picker.current?.click()} className="font-medium text-brand-600 underline">
          {t("jobs.form.pick")}
        </button>
        <input
          ref={picker}
          type="file"
          className="sr-only"
          accept={JOB_ACCEPT}
          data-testid="job-file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) choose(f);
          }}
        />
        <p className="mt-2 text-xs text-slate-500">{t("jobs.form.formats")}</p>
        {file && (
          <p className="mt-3 text-sm text-slate-700" data-testid="job-selected">
            {t("jobs.form.selected", { name: file.name, size: fmtBytes(file.size, locale) })}
          </p>
        )}
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <label className="text-sm font-medium text-slate-700">
          {t("jobs.form.task")}
          <select value={task} onChange={(e) => chooseTask(e.target.value as JobTask)} className={field} data-testid="job-task">
            <option value="ocr">{t("jobs.task.ocr")}</option>
            <option value="vad">{t("jobs.task.vad")}</option>
          </select>
        </label>
        <label className="text-sm font-medium text-slate-700">
          {t("jobs.form.model")}
          <select value={model} onChange={(e) => setModel(e.target.value)} className={field} data-testid="job-model">
            {taskModels.map((m) => (
              <option key={m.id} value={m.id}>{m.name} ({m.id})</option>
            ))}
            <option value="auto">{t("playground.auto")}</option>
          </select>
        </label>
      </div>
      <details className="rounded-md bg-slate-50 p-3 ring-1 ring-slate-200">
        <summary className="cursor-pointer text-sm font-medium text-slate-800">{t("jobs.form.more")}</summary>
        <div className="mt-3 space-y-3">
          <OptionControls key={task} task={task} auto={model === "auto"} value={options} onChange={setOptions} />
          {task === "ocr" && (
            <label className="block text-sm font-medium text-slate-700">
              {t("jobs.form.dpi")}
              <input type="number" min={72} max={400} step={10} value={dpi} placeholder="200" onChange={(e) => setDpi(e.target.value)} className={field} data-testid="job-dpi" />
            </label>
          )}
          <label className="block text-sm font-medium text-slate-700">
            {t("jobs.form.webhook")}
            <input type="url" inputMode="url" value={webhook} placeholder="https://example.com/hooks/pareto" onChange={(e) => setWebhook(e.target.value)} className={field} data-testid="job-webhook" />
            <span className="mt-1 block text-xs font-normal text-slate-500">{t("jobs.form.webhookHint")}</span>
          </label>
          <label className="block text-sm font-medium text-slate-700">
            {t("jobs.form.metadata")}
            <textarea rows={2} value={metadata} placeholder='{"ticket": "A-123"}' onChange={(e) => setMetadata(e.target.value)} className={`${field} font-mono`} data-testid="job-metadata" />
          </label>
        </div>
      </details>
      <button type="button" onClick={() => void submit()} disabled={upload !== null} className="w-full rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60" data-testid="job-submit">
        {t("jobs.form.submit")}
      </button>
      {upload !== null && (
        <div className="space-y-1" aria-live="polite">
          <p className="text-sm text-slate-600">{t("jobs.form.uploading", { p: Math.round(upload * 100) })}</p>
          <progress value={upload} max={1} className="h-2 w-full" />
        </div>
      )}
      {problem && <p role="alert" className="text-sm text-red-600" data-testid="job-problem">{problem}</p>}
    </section>
  );
}
