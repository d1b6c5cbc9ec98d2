"use client";
import { useState } from "react";
import { classifySnippet, SNIPPET_LANGS, type ClassifyBody as ClassifyRequest, type SnippetLang } from "@/lib/api/snippets";
import { useI18n } from "@/lib/i18n/client";
import { fmtInt } from "../../_components/dashboard/format";
import { renderMessage } from "@/lib/i18n/message";
import { SnippetTabs } from "../../_components/snippet-tabs";
import { MAX_CHARS, MAX_ITEMS, readLines, type LinesProblem } from "./classify-input";
import { ClassifyResult, type ClassifyBody } from "./classify-result";
import { isError, type ApiErrorBody } from "./send";

export interface TextModel {
  id: string;
  name: string;
  /** What `auto` compares: the built-in language identifier's variants share one; a trained model is its own. */
  family: string;
  builtIn: boolean;
  /** Versions that can answer, to pin one (`id@version`); a built-in has none to choose from. */
  versions: { version: string; traffic_percent: number }[];
}

interface Result {
  status: number;
  latencyMs: number;
  sent: ClassifyRequest;
  texts: string[];
  lines: number[];
  body: ClassifyBody | ApiErrorBody;
}

/** Sentences in a few languages, for a first try of the language identifier (content, not interface text). */
const EXAMPLES = [
  "The weather is lovely today, let's go for a walk.",
  "Hoy hace muy buen tiempo, vamos a dar un paseo.",
  "Aujourd'hui il fait très beau, allons nous promener.",
  "今天天气很好，我们去散步吧。",
  "今日はとても良い天気なので、散歩に行きましょう。",
  "Сегодня прекрасная погода, пойдём погуляем.",
];

const field = "mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";

/**
 * The Classify tab: a text model (or a task alias, or auto), texts one per line, top_k; the call goes to
 * POST /api/v1/classify with the browser's session, and every line comes back with its labels as score bars, next
 * to the exact request to copy. Refusals show the API's code and message.
 */
export function ClassifyPlayground({ models, aliases, initialModel }: { models: TextModel[]; aliases: string[]; initialModel?: string }) {
  const { t, messages, locale } = useI18n();
  const choices = [...aliases, ...models.map((m) => m.id), "auto"];
  // `id@version` in the link (a training run's candidate) pins that version.
  const [initialId, initialVersion] = initialModel?.includes("@") ? initialModel.split("@", 2) : [initialModel, ""];
  const [model, setModel] = useState(initialId && choices.includes(initialId) ? initialId : (aliases[0] ?? models[0]?.id ?? "auto"));
  const [version, setVersion] = useState(models.find((m) => m.id === initialId)?.versions.some((v) => v.version === initialVersion) ? initialVersion : "");
  const families = [...new Set(models.map((m) => m.family))];
  const [family, setFamily] = useState(families[0] ?? "");
  const [text, setText] = useState("");
  const [topK, setTopK] = useState(3);
  const [objective, setObjective] = useState("balanced");
  const [maxLatency, setMaxLatency] = useState<number | "">("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [result, setResult] = useState<Result | null>(null);

  const describe = (p: LinesProblem) =>
    p.kind === "empty" ? t("classify.needText") : p.kind === "tooMany" ? t("classify.tooMany", { n: p.n, max: MAX_ITEMS }) : t("classify.tooLong", { line: p.line, n: p.n, max: MAX_CHARS });

  async function run() {
    setProblem(null);
    const read = readLines(text);
    if (!read.ok) return setProblem(describe(read.problem));
    if (!Number.isInteger(topK) || topK < 1 || topK > 20) return setProblem(t("classify.badTopK"));
    const sent: ClassifyRequest = { model: version ? `${model}@${version}` : model, input: read.items.length === 1 ? read.items[0] : read.items, top_k: topK };
    if (model === "auto") {
      if (family) sent.family = family;
      sent.objective = objective;
      if (maxLatency !== "") sent.max_latency_ms = maxLatency;
    }
    setBusy(true);
    const t0 = performance.now();
    try {
      const res = await fetch("/api/v1/classify", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(sent), cache: "no-store" });
      const body = (await res.json().catch(() => ({ error: { type: "server_error", code: "bad_response", message: `HTTP ${res.status}` } }))) as ClassifyBody | ApiErrorBody;
      setResult({ status: res.status, latencyMs: performance.now() - t0, sent, texts: read.items, lines: read.lines, body });
    } catch (e) {
      setProblem(t("classify.network", { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  }

  const count = text.split(/\r\n|\n|\r/).filter((l) => l.trim() !== "").length;
  const snippets = result
    ? (Object.fromEntries(SNIPPET_LANGS.map((l) => [l, classifySnippet(l, { baseUrl: window.location.origin, body: result.sent })])) as Record<SnippetLang, string>)
    : null;
  const body = result?.body;
  const chosen = models.find((m) => m.id === model);
  return (
    <div className="grid gap-6 lg:grid-cols-5" data-testid="classify-playground">
      <div className="space-y-5 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200 lg:col-span-2">
        <div className="grid gap-3 sm:grid-cols-2">
        <label className="block text-sm font-medium text-slate-700">
          {t("playground.model")}
          <select value={model} onChange={(e) => { setModel(e.target.value); setVersion(""); }} className={field} data-testid="classify-model">
            {aliases.length > 0 && (
              <optgroup label={t("classify.aliases")}>
                {aliases.map((a) => (
                  <option key={a} value={a}>{a}</option>
                ))}
              </optgroup>
            )}
            {models.length > 0 && (
              <optgroup label={t("classify.models")}>
                {models.map((m) => (
                  <option key={m.id} value={m.id}>{m.name} ({m.id})</option>
                ))}
              </optgroup>
            )}
            <option value="auto">{t("playground.auto")}</option>
          </select>
        </label>
        {chosen && chosen.versions.length > 1 && (
          <label className="block text-sm font-medium text-slate-700">
            {t("registry.tensor.version")}
            <select value={version} onChange={(e) => setVersion(e.target.value)} className={field} data-testid="classify-version">
              <option value="">{t("registry.tensor.bySplit")}</option>
              {chosen.versions.map((v) => (
                <option key={v.version} value={v.version}>{v.version} · {v.traffic_percent} %</option>
              ))}
            </select>
          </label>
        )}
        {model === "auto" && families.length > 0 && (
          <label className="block text-sm font-medium text-slate-700">
            {t("classify.family")}
            <select value={family} onChange={(e) => setFamily(e.target.value)} className={field} data-testid="classify-family">
              {families.map((f) => (
                <option key={f} value={f}>{f}</option>
              ))}
            </select>
          </label>
        )}
        </div>
        {!models.some((m) => !m.builtIn) && <p className="text-sm text-slate-600" data-testid="classify-no-models">{t("classify.noModels")}</p>}
        <div>
          <div className="flex items-end justify-between gap-2">
            <label htmlFor="classify-text" className="text-sm font-medium text-slate-700">{t("classify.texts")}</label>
            <button type="button" onClick={() => setText(EXAMPLES.join("\n"))} className="text-xs font-medium text-brand-600 underline" data-testid="classify-examples">
              {t("classify.examples")}
            </button>
          </div>
          <textarea
            id="classify-text"
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={8}
            placeholder={t("classify.placeholder")}
            aria-describedby="classify-text-hint"
            className={`${field} font-mono`}
            data-testid="classify-text"
          />
          <p id="classify-text-hint" className={`mt-1 text-xs ${count > MAX_ITEMS ? "font-medium text-red-700" : "text-slate-500"}`} data-testid="classify-count">
            {t("classify.count", { n: count, max: MAX_ITEMS, chars: fmtInt(MAX_CHARS, locale) })}
          </p>
        </div>
        <fieldset className="grid gap-3 sm:grid-cols-2">
          <legend className="mb-2 text-sm font-semibold text-slate-800">{t("playground.options")}</legend>
          <label className="text-sm font-medium text-slate-700">
            {t("classify.topK")}
            <input type="number" min={1} max={20} step={1} value={topK} onChange={(e) => setTopK(Number(e.target.value))} className={field} data-testid="classify-top-k" />
          </label>
          {model === "auto" && (
            <>
              <label className="text-sm font-medium text-slate-700">
                {t("playground.objective")}
                <select value={objective} onChange={(e) => setObjective(e.target.value)} className={field} data-testid="classify-objective">
                  <option value="balanced">{t("playground.objectiveBalanced")}</option>
                  <option value="fastest">{t("playground.objectiveFastest")}</option>
                  <option value="most_accurate">{t("playground.objectiveAccurate")}</option>
                </select>
              </label>
              <label className="text-sm font-medium text-slate-700">
                {t("playground.maxLatency")}
                <input type="number" min={1} max={60000} step={10} value={maxLatency} onChange={(e) => setMaxLatency(e.target.value === "" ? "" : Number(e.target.value))} className={field} data-testid="classify-max-latency" />
              </label>
            </>
          )}
        </fieldset>
        <button type="button" onClick={() => void run()} disabled={busy} data-testid="classify-run" className="w-full rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60">
          {busy ? t("classify.running") : t("classify.run")}
        </button>
        {problem && <p role="alert" className="text-sm text-red-600" data-testid="problem">{problem}</p>}
      </div>
      <div className="space-y-4 lg:col-span-3" data-testid="results">
        {result && body && (
          <div className="space-y-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="classify-card">
            {isError(body) ? (
              <div role="alert" className="rounded bg-red-50 p-3 text-sm text-red-800 ring-1 ring-red-200" data-testid="run-error">
                <p className="font-semibold">{t("playground.errorTitle")} · HTTP {result.status} · <span data-testid="run-error-code">{body.error.code}</span></p>
                <p className="mt-1" data-testid="run-error-message">{body.error.message}</p>
                {body.error.param && <p className="mt-1 text-xs">{t("classify.param", { param: body.error.param })}</p>}
              </div>
            ) : (
              <>
                <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
                  <div>
                    <dt className="inline text-slate-500">{t("playground.modelUsed")}: </dt>
                    <dd className="inline font-mono font-medium" data-testid="run-model">{body.model}</dd>
                  </div>
                  <div>
                    <dt className="inline text-slate-500">{t("playground.latency")}: </dt>
                    <dd className="inline font-medium">{Math.round(result.latencyMs)} ms</dd>
                  </div>
                  <div>
                    <dt className="inline text-slate-500">{t("playground.compute")}: </dt>
                    <dd className="inline font-medium" data-testid="run-compute">{body.usage.compute_ms} ms</dd>
                  </div>
                  <div>
                    <dt className="inline text-slate-500">{t("classify.units")}: </dt>
                    <dd className="inline font-medium" data-testid="run-units">{body.usage.units}</dd>
                  </div>
                </dl>
                {body.selection && (
                  <p className="rounded bg-brand-50 px-3 py-2 text-sm text-brand-700" data-testid="auto-reason">
                    {t("playground.chosenBecause", { reason: renderMessage(messages, body.selection.reason_message) ?? body.selection.reason })}
                  </p>
                )}
                <ClassifyResult body={body} texts={result.texts} lines={result.lines} />
              </>
            )}
            {snippets && (
              <section aria-labelledby="classify-request-title">
                <h3 id="classify-request-title" className="mb-2 text-sm font-semibold text-slate-800">{t("classify.request")}</h3>
                <SnippetTabs snippets={snippets} testId="run-snippets" />
              </section>
            )}
          </div>
        )}
      </div>
    </div>
  );
}
