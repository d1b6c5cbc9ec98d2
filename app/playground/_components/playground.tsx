"use client";
import { useEffect, useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { InputPicker, type PickedInput, type SampleRef } from "./input-picker";
import { OptionControls, type Options } from "./options";
import { RunCard, type Run, type RunBody } from "./run-card";
import { send } from "./send";
import { ClassifyPlayground, type TextModel } from "./classify-playground";
import { TensorPlayground, type TensorModel } from "./tensor-playground";
import { JOB_CODES, RunAsJob } from "./run-as-job";
import { isError } from "./send";

export interface PlaygroundModel {
  id: string;
  task: "ocr" | "vad";
  name: string;
  default: boolean;
}

type Task = "ocr" | "vad";
/** Tabs with a form of their own instead of a file: uploaded tensor models (from their signature) and text. */
type OwnTab = "tensor" | "classify";

export function Playground({ models, tensorModels, textModels, textAliases, samples, initialModel, initialSample, initialTab, maxAudioSeconds }: { models: PlaygroundModel[]; tensorModels: TensorModel[]; textModels: TextModel[]; textAliases: string[]; samples: Record<Task, SampleRef[]>; initialModel?: string; initialSample?: string; initialTab?: string; maxAudioSeconds: number }) {
  const { t } = useI18n();
  const [ownTab, setOwnTab] = useState<OwnTab | null>(
    tensorModels.some((m) => m.id === initialModel) ? "tensor" : initialTab === "classify" || textModels.some((m) => m.id === initialModel?.split("@")[0]) || textAliases.includes(initialModel ?? "") ? "classify" : null,
  );
  const startTask: Task = models.find((m) => m.id === initialModel)?.task ?? (samples.vad.some((s) => s.id === initialSample) ? "vad" : "ocr");
  const [task, setTask] = useState<Task>(startTask);
  const [mode, setMode] = useState<"single" | "compare">("single");
  const defaultFor = (k: Task) => models.find((m) => m.task === k && m.default)?.id ?? models.find((m) => m.task === k)?.id ?? "";
  const [model, setModel] = useState(models.some((m) => m.id === initialModel) ? initialModel! : defaultFor(startTask));
  const [compare, setCompare] = useState<string[]>([]);
  const [input, setInput] = useState<PickedInput | null>(null);
  const [options, setOptions] = useState<Options>({});
  const [busy, setBusy] = useState<{ since: number; progress: number } | null>(null);
  const [elapsed, setElapsed] = useState(0);
  const [runs, setRuns] = useState<Run[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  /** The code of a synchronous refusal that a job gets past (too long, several pages, too big), for "Run as a job". */
  const [refused, setRefused] = useState<string | null>(null);

  useEffect(() => {
    if (!busy) return;
    const id = setInterval(() => setElapsed((Date.now() - busy.since) / 1000), 100);
    return () => clearInterval(id);
  }, [busy]);

  function switchTask(k: Task) {
    setOwnTab(null);
    setTask(k);
    setModel(defaultFor(k));
    setCompare([]);
    setInput(null);
    setOptions({});
    setRuns([]);
    setProblem(null);
    setRefused(null);
  }

  async function runOne(m: string, picked: PickedInput, opts: Options, onProgress: (p: number) => void): Promise<Run> {
    const form = new FormData();
    form.set(task === "ocr" ? "image" : "audio", picked.blob, picked.name);
    form.set("model", m);
    for (const [k, v] of Object.entries(opts)) if (m === "auto" || !["objective", "max_latency_ms"].includes(k)) form.set(k, String(v));
    const result = await send<RunBody>(`/api/v1/${task}`, form, onProgress);
    const sentOptions = Object.fromEntries(Object.entries(opts).filter(([k]) => m === "auto" || !["objective", "max_latency_ms"].includes(k)));
    return { task, model: m, options: sentOptions, input: picked, result };
  }

  async function go() {
    setProblem(null);
    setRefused(null);
    if (!input) return setProblem(t("playground.needInput"));
    const targets = mode === "single" ? [model] : compare;
    if (mode === "compare" && targets.length < 2) return setProblem(t("playground.needTwo"));
    setBusy({ since: Date.now(), progress: 0 });
    setElapsed(0);
    try {
      const out: Run[] = [];
      // One after another: side-by-side latencies are only comparable when the runs don't compete for the CPU.
      for (const m of targets) out.push(await runOne(m, input, options, (p) => setBusy((b) => (b ? { ...b, progress: p } : b))));
      setRuns(out);
      setRefused(out.map((r) => (!r.result.ok && isError(r.result.body) ? r.result.body.error.code : "")).find((c) => JOB_CODES.includes(c)) ?? null);
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  }

  const taskModels = models.filter((m) => m.task === task);
  const tabCls = (on: boolean) => `rounded-md px-3 py-1.5 text-sm font-medium ${on ? "bg-brand-600 text-white" : "bg-white text-slate-700 ring-1 ring-slate-300"}`;
  const tab = (k: Task, label: string) => (
    <button key={k} role="tab" type="button" aria-selected={!ownTab && task === k} onClick={() => switchTask(k)} data-testid={`tab-${k}`} className={tabCls(!ownTab && task === k)}>
      {label}
    </button>
  );
  const own = (k: OwnTab, label: string) => (
    <button role="tab" type="button" aria-selected={ownTab === k} onClick={() => setOwnTab(k)} data-testid={`tab-${k}`} className={tabCls(ownTab === k)}>
      {label}
    </button>
  );

  return (
    <section className="space-y-6" data-testid="section-playground">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{t("playground.title")}</h1>
        <p className="mt-1 text-slate-600">{t("playground.lead")}</p>
      </div>
      <div role="tablist" className="flex flex-wrap gap-2">
        {tab("ocr", t("playground.tabOcr"))}
        {tab("vad", t("playground.tabVad"))}
        {own("classify", t("classify.tab"))}
        {own("tensor", t("registry.tensor.tab"))}
      </div>
      {ownTab === "classify" ? (
        <ClassifyPlayground models={textModels} aliases={textAliases} initialModel={initialModel} />
      ) : ownTab === "tensor" ? (
        <TensorPlayground models={tensorModels} initialModel={initialModel} />
      ) : (
      <div className="grid gap-6 lg:grid-cols-5">
        <div className="space-y-5 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200 lg:col-span-2">
          <div className="flex gap-4 text-sm">
            {(["single", "compare"] as const).map((m) => (
              <label key={m} className="flex items-center gap-1.5">
                <input type="radio" name="mode" checked={mode === m} onChange={() => setMode(m)} data-testid={`mode-${m}`} />
                {m === "single" ? t("playground.modeSingle") : t("playground.modeCompare")}
              </label>
            ))}
          </div>
          {mode === "single" ? (
            <label className="block text-sm font-medium text-slate-700">
              {t("playground.model")}
              <select value={model} onChange={(e) => setModel(e.target.value)} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5" data-testid="model-select">
                {taskModels.map((m) => (
                  <option key={m.id} value={m.id}>{m.name} ({m.id})</option>
                ))}
                <option value="auto">{t("playground.auto")}</option>
              </select>
            </label>
          ) : (
            <fieldset>
              <legend className="text-sm font-medium text-slate-700">{t("playground.compareModels")}</legend>
              <div className="mt-2 space-y-1">
                {taskModels.map((m) => (
                  <label key={m.id} className="flex items-center gap-2 text-sm">
                    <input type="checkbox" checked={compare.includes(m.id)} onChange={(e) => setCompare((c) => (e.target.checked ? [...c, m.id] : c.filter((x) => x !== m.id)))} data-testid={`compare-${m.id}`} />
                    {m.name}
                  </label>
                ))}
              </div>
            </fieldset>
          )}
          <div>
            <h2 className="mb-2 text-sm font-semibold text-slate-800">{t("playground.input")}</h2>
            <InputPicker
              key={task}
              kind={task === "ocr" ? "image" : "audio"}
              samples={samples[task]}
              value={input}
              onChange={(v) => {
                setInput(v);
                setRefused(null);
              }}
              initialSample={initialSample}
            />
          </div>
          <OptionControls task={task} auto={mode === "single" && model === "auto"} value={options} onChange={setOptions} />
          <button type="button" onClick={() => void go()} disabled={!!busy} data-testid="run" className="w-full rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60">
            {mode === "single" ? t("playground.run") : t("playground.runCompare")}
          </button>
          {busy && (
            <div className="space-y-1" aria-live="polite" data-testid="busy">
              {busy.progress < 1 ? (
                <>
                  <p className="text-sm text-slate-600">{t("playground.uploading", { p: Math.round(busy.progress * 100) })}</p>
                  <progress value={busy.progress} max={1} className="h-2 w-full" />
                </>
              ) : (
                <p className="flex items-center gap-2 text-sm text-slate-600">
                  <span className="inline-block h-4 w-4 animate-spin rounded-full border-2 border-brand-500 border-t-transparent" aria-hidden />
                  {t("playground.running", { s: elapsed.toFixed(1) })}
                </p>
              )}
            </div>
          )}
          {problem && <p role="alert" className="text-sm text-red-600" data-testid="problem">{problem}</p>}
          <RunAsJob task={task} input={input} model={mode === "single" ? model : (compare[0] ?? model)} options={options} refusedCode={refused} maxSeconds={maxAudioSeconds} />
        </div>
        <div className="space-y-4 lg:col-span-3" data-testid="results">
          {runs.length > 1 && <h2 className="font-semibold">{t("playground.compareTitle")}</h2>}
          <div className={runs.length > 1 ? "grid gap-4 xl:grid-cols-2" : ""}>
            {runs.map((r, i) => (
              <RunCard key={`${r.model}-${i}`} run={r} compact={runs.length > 1} />
            ))}
          </div>
        </div>
      </div>
      )}
    </section>
  );
}
