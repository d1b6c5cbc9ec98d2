import Link from "next/link";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { classifySnippet, snippet, SNIPPET_LANGS, tensorSnippet, type SnippetLang } from "@/lib/api/snippets";
import { getT } from "@/lib/i18n/server";
import { getModel, listModels } from "@/lib/api/presenters/models";
import { samples } from "@/lib/models/samples";
import { headlines } from "@/lib/db/headlines";
import { currentHost } from "@/lib/selection/host";
import { Deployability } from "../../selection/_components/deployability";
import { SnippetTabs } from "../../_components/snippet-tabs";
import { CardSections } from "../_components/card-sections";
import { bytes, STATUS_STYLE } from "../_components/format";
import { taskLabel } from "../_components/task-label";
import { TextModelSection } from "../_components/text-model-section";
import { textVersionRows } from "../_components/text-versions";
import { VersionsSection } from "../_components/versions-section";
import { exampleInputs } from "../../playground/_components/tensor-input";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  return { title: (await params).id };
}

export default async function ModelCard({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const [model, all, { t, locale }, figures] = await Promise.all([getModel(id), listModels(), getT(), headlines(currentHost().fingerprint)]);
  if (!model) notFound();
  const deploy = { ...(figures[model.built_in ? model.id : `${model.id}@${model.version}`]?.deploy ?? { fileSizeBytes: model.size_bytes, coldLoadMs: null, memoryMb: null, opset: null, customOps: null, dynamicAxes: null }), license: model.license };
  const h = await headers();
  const baseUrl = `${h.get("x-forwarded-proto") ?? "http"}://${h.get("x-forwarded-host") ?? h.get("host") ?? "localhost:3000"}`;
  const mine = samples().filter((s) => s.kind === model.modality);
  const task = model.task;
  // A tensor model's example request: its main version's inputs, dynamic axes 1, zeros.
  const mainSignature = model.versions.find((v) => v.version === model.version)?.signature ?? [];
  const tensorBody = { inputs: exampleInputs(mainSignature.find((s) => s.role === "model")?.inputs ?? mainSignature[0]?.inputs ?? [], "zeros") };
  const snippets = Object.fromEntries(
    SNIPPET_LANGS.map((l) => [l, task === "tensor" ? tensorSnippet(l, { baseUrl, model: model.id, body: tensorBody }) : task === "text" ? classifySnippet(l, { baseUrl, body: { model: model.id, input: "Where is the train station?" } }) : snippet(l, { baseUrl, task, model: model.id, fileName: mine[0]?.file ?? (task === "ocr" ? "image.png" : "audio.wav") })]),
  ) as Record<SnippetLang, string>;
  const variants = all.filter((m) => m.family === model.family);

  return (
    <article className="space-y-8" data-testid="model-card">
      <div>
        <Link href="/models" className="text-sm text-brand-600 hover:underline">← {t("models.card.back")}</Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold tracking-tight">{model.name}</h1>
          <span className={`rounded-full px-2 py-0.5 text-xs ring-1 ${STATUS_STYLE[model.status]}`}>{t(`models.status${model.status}`)}</span>
          {model.default && <span className="rounded bg-brand-50 px-1.5 py-0.5 text-xs font-medium text-brand-700">{t("models.default")}</span>}
          <Link href={`/playground?model=${model.id}`} className="ml-auto rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700" data-testid="try-it">
            {t("models.card.tryIt")}
          </Link>
        </div>
        <p className="mt-1 font-mono text-sm text-slate-500">{model.id}</p>
      </div>

      <section className="grid gap-6 lg:grid-cols-3">
        <div className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200 lg:col-span-2">
          <h2 className="font-semibold">{t("models.card.description")}</h2>
          <p className="mt-2 text-slate-700">{model.description}</p>
          {model.status === "FAILED" && model.status_reason && (
            <p role="alert" className="mt-3 rounded bg-red-50 p-3 text-sm text-red-700">
              <strong>{t("models.card.failedReason")}:</strong> {model.status_reason}
            </p>
          )}
        </div>
        <dl className="grid grid-cols-2 gap-2 rounded-lg bg-white p-5 text-sm shadow-sm ring-1 ring-slate-200">
          <dt className="text-slate-500">{t("models.task")}</dt>
          <dd className="text-right">{taskLabel(t, model.task)}</dd>
          <dt className="text-slate-500">{t("models.version")}</dt>
          <dd className="text-right">{model.version} · {model.variant}</dd>
          <dt className="text-slate-500">{t("models.license")}</dt>
          <dd className="text-right">{model.license}</dd>
          <dt className="text-slate-500">{t("models.size")}</dt>
          <dd className="text-right">{bytes(model.size_bytes)}</dd>
          <dt className="col-span-2 text-slate-500">{t("models.card.source")}</dt>
          <dd className="col-span-2 text-slate-700">{model.source}</dd>
          <dt className="col-span-2 text-slate-500">{t("models.card.options")}</dt>
          <dd className="col-span-2 font-mono text-xs text-slate-700">{JSON.stringify(model.options)}</dd>
        </dl>
      </section>

      {model.text && <TextModelSection modelId={model.id} text={model.text} versions={textVersionRows(model)} />}

      <section className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
        <Deployability input={deploy} testId="card-deployability" />
      </section>

      <VersionsSection model={model} />

      <CardSections model={model} variants={variants} samples={mine.map((s) => ({ id: s.id, file: s.file, title: locale === "zh" ? s.title.zh : s.title.en }))} />

      <section aria-labelledby="snippets-title">
        <h2 id="snippets-title" className="text-lg font-semibold">{t("models.card.snippets")}</h2>
        <p className="mb-3 text-sm text-slate-600">{t("models.card.snippetsLead")}</p>
        <SnippetTabs snippets={snippets} testId="model-snippets" />
      </section>
    </article>
  );
}
