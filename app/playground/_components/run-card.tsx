"use client";
import { snippet, SNIPPET_LANGS, type SnippetLang } from "@/lib/api/snippets";
import { useI18n } from "@/lib/i18n/client";
import { renderMessage } from "@/lib/i18n/message";
import { SnippetTabs } from "../../_components/snippet-tabs";
import { OcrResult, type OcrBody } from "./ocr-result";
import type { PickedInput } from "./input-picker";
import type { Options } from "./options";
import { isError, type SendResult } from "./send";
import { VadResult, type VadBody } from "./vad-result";

export type RunBody = (OcrBody | VadBody) & { selection?: { model: string; reason: string; reason_message?: unknown } };

export interface Run {
  task: "ocr" | "vad";
  model: string;
  options: Options;
  input: PickedInput;
  result: SendResult<RunBody>;
}

/** One run: the model used, latency and compute, the result, and the request as curl / JS / Python. */
export function RunCard({ run, compact = false }: { run: Run; compact?: boolean }) {
  const { t, messages } = useI18n();
  const body = run.result.body;
  if (isError(body)) {
    return (
      <div role="alert" className="rounded-lg bg-red-50 p-4 text-sm text-red-800 ring-1 ring-red-200" data-testid="run-error">
        <p className="font-semibold">{t("playground.errorTitle")} · HTTP {run.result.status} · {body.error.code}</p>
        <p className="mt-1" data-testid="run-error-message">{body.error.message}</p>
      </div>
    );
  }
  const snippets = Object.fromEntries(
    SNIPPET_LANGS.map((l) => [l, snippet(l, { baseUrl: window.location.origin, task: run.task, model: run.model, fileName: run.input.name, options: run.options })]),
  ) as Record<SnippetLang, string>;
  return (
    <div className="space-y-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="run-card">
      <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
        <div>
          <dt className="inline text-slate-500">{t("playground.modelUsed")}: </dt>
          <dd className="inline font-mono font-medium" data-testid="run-model">{body.model}</dd>
        </div>
        <div>
          <dt className="inline text-slate-500">{t("playground.latency")}: </dt>
          <dd className="inline font-medium" data-testid="run-latency">{Math.round(run.result.latencyMs)} ms</dd>
        </div>
        <div>
          <dt className="inline text-slate-500">{t("playground.compute")}: </dt>
          <dd className="inline font-medium" data-testid="run-compute">{run.result.computeMs ?? "—"} ms</dd>
        </div>
        {"duration_s" in body && (
          <div>
            <dt className="inline text-slate-500">{t("playground.duration")}: </dt>
            <dd className="inline font-medium">{body.duration_s.toFixed(2)} s</dd>
          </div>
        )}
      </dl>
      {body.selection && (
        <p className="rounded bg-brand-50 px-3 py-2 text-sm text-brand-700" data-testid="auto-reason">
          {t("playground.chosenBecause", { reason: renderMessage(messages, body.selection.reason_message) ?? body.selection.reason })}
        </p>
      )}
      {run.task === "ocr" ? <OcrResult body={body as OcrBody} imageUrl={run.input.url} compact={compact} /> : <VadResult body={body as VadBody} audio={run.input.blob} compact={compact} />}
      {!compact && (
        <details>
          <summary className="cursor-pointer text-sm font-medium text-slate-700">{t("playground.reproduce")}</summary>
          <div className="mt-2">
            <SnippetTabs snippets={snippets} testId="run-snippets" />
          </div>
        </details>
      )}
    </div>
  );
}
