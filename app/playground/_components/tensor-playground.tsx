"use client";
import { useState } from "react";
import { SNIPPET_LANGS, tensorInferPath, tensorSnippet, type SnippetLang } from "@/lib/api/snippets";
import { useI18n } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n/config";
import { SnippetTabs } from "../../_components/snippet-tabs";
import { dynamicAxes, exampleInputs, parseInput, type InputSpec, type KserveTensor } from "./tensor-input";
import { TensorOutputs, type KserveOutput } from "./tensor-outputs";

export interface TensorModel {
  id: string;
  name: string;
  versions: { version: string; traffic_percent: number; inputs: InputSpec[] }[];
}

interface Field {
  values: string;
  shape: string;
}

interface Result {
  status: number;
  latencyMs: number;
  version: string | null;
  url: string;
  sent: unknown;
  outputs?: KserveOutput[];
  error?: string;
}

/** The signature the form follows: the pinned version's, else that of the version with the largest share. */
function inputsOf(m: TensorModel | undefined, version: string): InputSpec[] {
  if (!m) return [];
  const v = m.versions.find((x) => x.version === version) ?? [...m.versions].sort((a, b) => b.traffic_percent - a.traffic_percent)[0];
  return v?.inputs ?? [];
}

const fieldsFor = (inputs: readonly InputSpec[]): Record<string, Field> =>
  Object.fromEntries(exampleInputs(inputs, "zeros").map((t) => [t.name, { values: "", shape: t.shape.join(", ") }]));

/**
 * The Tensor tab: pick an uploaded tensor model (and optionally pin a version), fill one field per input — its
 * datatype and shape shown, dynamic axes by name — or "random input", or paste a whole KServe request; the call goes
 * to /v2/models/{id}/infer with the browser's session, and the outputs and the exact request come back.
 */
export function TensorPlayground({ models, initialModel }: { models: TensorModel[]; initialModel?: string }) {
  const { t } = useI18n();
  const [modelId, setModelId] = useState(models.some((m) => m.id === initialModel) ? initialModel! : (models[0]?.id ?? ""));
  const [version, setVersion] = useState("");
  const model = models.find((m) => m.id === modelId);
  const inputs = inputsOf(model, version);
  const [fields, setFields] = useState<Record<string, Field>>(() => fieldsFor(inputs));
  const [paste, setPaste] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [result, setResult] = useState<Result | null>(null);

  if (models.length === 0) return <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600" data-testid="tensor-none">{t("registry.tensor.none")}</p>;

  function choose(id: string, v: string) {
    setModelId(id);
    setVersion(v);
    setFields(fieldsFor(inputsOf(models.find((m) => m.id === id), v)));
    setResult(null);
    setProblem(null);
  }

  function random() {
    setFields(Object.fromEntries(exampleInputs(inputs).map((x) => [x.name, { values: JSON.stringify(x.data), shape: x.shape.join(", ") }])));
    setPaste(null);
  }

  /** The request from the fields, or the problem with the first bad one. */
  function fromFields(): { body: { inputs: KserveTensor[] } } | { problem: string } {
    const tensors: KserveTensor[] = [];
    for (const i of inputs) {
      const f = fields[i.name] ?? { values: "", shape: "" };
      const p = parseInput(f.values, f.shape);
      if (!p.ok) return { problem: t(`registry.tensor.${p.problem}` as MessageKey, { name: i.name, got: p.got ?? 0, need: p.need ?? 0, shape: f.shape, message: "" }) };
      tensors.push({ name: i.name, shape: p.shape, datatype: i.datatype, data: p.data });
    }
    return { body: { inputs: tensors } };
  }

  async function run() {
    setProblem(null);
    let body: unknown;
    if (paste !== null) {
      try {
        body = JSON.parse(paste);
      } catch (e) {
        return setProblem(t("registry.tensor.badJson", { message: e instanceof Error ? e.message : String(e) }));
      }
    } else {
      const built = fromFields();
      if ("problem" in built) return setProblem(built.problem);
      body = built.body;
    }
    const url = tensorInferPath(modelId, version || undefined);
    setBusy(true);
    const t0 = performance.now();
    try {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), cache: "no-store" });
      const json = (await res.json().catch(() => ({ error: `HTTP ${res.status}` }))) as { outputs?: KserveOutput[]; error?: string };
      setResult({ status: res.status, latencyMs: performance.now() - t0, version: res.headers.get("x-pareto-model-version"), url, sent: body, outputs: res.ok ? json.outputs : undefined, error: res.ok ? undefined : (json.error ?? `HTTP ${res.status}`) });
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  const snippets = result
    ? (Object.fromEntries(SNIPPET_LANGS.map((l) => [l, tensorSnippet(l, { baseUrl: window.location.origin, model: modelId, version: version || undefined, body: result.sent })])) as Record<SnippetLang, string>)
    : null;
  const label = "block text-sm font-medium text-slate-700";
  const control = "mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";
  return (
    <div className="grid gap-6 lg:grid-cols-5" data-testid="tensor-playground">
      <div className="space-y-5 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200 lg:col-span-2">
        <div className="grid gap-3 sm:grid-cols-2">
          <label className={label}>
            {t("playground.model")}
            <select value={modelId} onChange={(e) => choose(e.target.value, "")} className={control} data-testid="tensor-model">
              {models.map((m) => (
                <option key={m.id} value={m.id}>{m.name} ({m.id})</option>
              ))}
            </select>
          </label>
          <label className={label}>
            {t("registry.tensor.version")}
            <select value={version} onChange={(e) => choose(modelId, e.target.value)} className={control} data-testid="tensor-version">
              <option value="">{t("registry.tensor.bySplit")}</option>
              {model?.versions.map((v) => (
                <option key={v.version} value={v.version}>{v.version} · {v.traffic_percent} %</option>
              ))}
            </select>
          </label>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <button type="button" onClick={random} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50" data-testid="tensor-random" title={t("registry.tensor.randomHint")}>
            {t("registry.tensor.random")}
          </button>
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input
              type="checkbox"
              checked={paste !== null}
              onChange={(e) => {
                if (!e.target.checked) return setPaste(null);
                const built = fromFields();
                setPaste(JSON.stringify("body" in built ? built.body : { inputs: exampleInputs(inputs) }, null, 2));
              }}
              data-testid="tensor-paste-toggle"
            />
            {t("registry.tensor.pasteToggle")}
          </label>
        </div>
        {paste !== null ? (
          <label className={label}>
            {t("registry.tensor.paste")}
            <textarea value={paste} onChange={(e) => setPaste(e.target.value)} rows={12} spellCheck={false} className={`${control} font-mono text-xs`} data-testid="tensor-paste" />
          </label>
        ) : (
          inputs.map((i) => {
            const f = fields[i.name] ?? { values: "", shape: "" };
            const axes = dynamicAxes(i.shape);
            const id = `tensor-input-${i.name}`;
            return (
              <div key={i.name} className="space-y-1" data-testid="tensor-input" data-name={i.name}>
                <label htmlFor={id} className={label}>{t("registry.tensor.input", { name: i.name, datatype: i.datatype, shape: i.shape.join(", ") })}</label>
                <textarea id={id} value={f.values} onChange={(e) => setFields((s) => ({ ...s, [i.name]: { ...f, values: e.target.value } }))} rows={3} spellCheck={false} aria-describedby={`${id}-hint`} className={`${control} font-mono text-xs`} data-testid="tensor-values" />
                <p id={`${id}-hint`} className="text-xs text-slate-500">{t("registry.tensor.inputHint", { axes: axes.length ? axes.join(", ") : t("registry.tensor.noDynamic") })}</p>
                <label className="flex items-center gap-2 text-xs text-slate-600">
                  {t("registry.tensor.shapeFor", { name: i.name })}
                  <input value={f.shape} onChange={(e) => setFields((s) => ({ ...s, [i.name]: { ...f, shape: e.target.value } }))} spellCheck={false} className="w-40 rounded border border-slate-300 px-2 py-0.5 font-mono" data-testid="tensor-shape" />
                </label>
              </div>
            );
          })
        )}
        <button type="button" onClick={() => void run()} disabled={busy} data-testid="tensor-run" className="w-full rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60">
          {busy ? t("registry.tensor.running") : t("registry.tensor.run")}
        </button>
        {problem && <p role="alert" className="text-sm text-red-600" data-testid="problem">{problem}</p>}
      </div>
      <div className="space-y-4 lg:col-span-3" data-testid="results">
        {result && (
          <div className="space-y-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="tensor-result">
            <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
              <div>
                <dt className="inline text-slate-500">{t("playground.modelUsed")}: </dt>
                <dd className="inline font-mono font-medium">{modelId}</dd>
              </div>
              <div>
                <dt className="inline text-slate-500">{t("registry.tensor.answeredBy")}: </dt>
                <dd className="inline font-mono font-medium" data-testid="tensor-answered-by">{result.version ?? "—"}</dd>
              </div>
              <div>
                <dt className="inline text-slate-500">{t("registry.tensor.latency")}: </dt>
                <dd className="inline font-medium">{Math.round(result.latencyMs)} ms</dd>
              </div>
            </dl>
            {result.error ? (
              <div role="alert" className="rounded bg-red-50 p-3 text-sm text-red-800" data-testid="run-error">
                <p className="font-semibold">{t("playground.errorTitle")} · HTTP {result.status}</p>
                <p className="mt-1" data-testid="run-error-message">{result.error}</p>
              </div>
            ) : (
              <TensorOutputs outputs={result.outputs ?? []} />
            )}
            {snippets && (
              <section aria-labelledby="tensor-request-title">
                <h3 id="tensor-request-title" className="mb-2 text-sm font-semibold text-slate-800">{t("registry.tensor.request")}</h3>
                <SnippetTabs snippets={snippets} testId="run-snippets" />
              </section>
            )}
          </div>
        )}
      </div>
    </div>
  );
}
