import { requireUser } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { getModel, listModels } from "@/lib/api/presenters/models";
import { TASK_ALIASES } from "@/lib/models/catalog";
import { samples } from "@/lib/models/samples";
import { Playground, type PlaygroundModel } from "./_components/playground";
import type { TensorModel } from "./_components/tensor-playground";

export const metadata = { title: "Playground" };
export const dynamic = "force-dynamic";

/** Versions that can answer (validated; measured or being measured), with the input signature of their graph. */
async function tensorModels(ids: string[]): Promise<TensorModel[]> {
  const details = await Promise.all(ids.map((id) => getModel(id)));
  return details.flatMap((m) => {
    if (!m) return [];
    const versions = m.versions
      .filter((v) => v.status === "ready" || v.status === "measuring")
      .map((v) => ({ version: v.version, traffic_percent: v.traffic_percent, inputs: v.signature.find((s) => s.role === "model")?.inputs ?? v.signature[0]?.inputs ?? [] }));
    return versions.length ? [{ id: m.id, name: m.name, versions }] : [];
  });
}

/** Text classification: compared as a string so the page reads the catalog whatever tasks this build's types list. */
const isText = (task: string) => task === "text";

export default async function PlaygroundPage({ searchParams }: { searchParams: Promise<{ model?: string; sample?: string; tab?: string }> }) {
  const { model, sample, tab } = await searchParams;
  const qs = new URLSearchParams(Object.entries({ model, sample, tab }).filter((e): e is [string, string] => !!e[1])).toString();
  await requireUser(`/playground${qs ? `?${qs}` : ""}`);
  const [{ locale }, models] = await Promise.all([getT(), listModels()]);
  const enabled = models.filter((m) => m.enabled);
  const ref = (kind: "image" | "audio") =>
    samples()
      .filter((s) => s.kind === kind)
      .map((s) => ({ id: s.id, file: s.file, title: locale === "zh" ? s.title.zh : s.title.en }));
  // OCR and VAD pickers list the registry: built-ins and uploaded models of the task alike.
  const fileModels = enabled.flatMap((m): PlaygroundModel[] => (m.task === "ocr" || m.task === "vad" ? [{ id: m.id, task: m.task, name: m.name, default: m.default }] : []));
  return (
    <Playground
      models={fileModels}
      tensorModels={await tensorModels(enabled.filter((m) => m.task === "tensor").map((m) => m.id))}
      textModels={enabled.filter((m) => isText(m.task)).map((m) => ({ id: m.id, name: m.name }))}
      textAliases={Object.entries(TASK_ALIASES).flatMap(([alias, task]) => (isText(task) ? [alias] : []))}
      samples={{ ocr: ref("image"), vad: ref("audio") }}
      initialModel={model}
      initialSample={sample}
      initialTab={tab}
    />
  );
}
