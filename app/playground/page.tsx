import { requireUser } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { getModel, listModels } from "@/lib/api/presenters/models";
import { TASK_ALIASES } from "@/lib/models/catalog";
import { samples } from "@/lib/models/samples";
import { DEFAULT_VAD_OPTIONS } from "@/lib/models/vad/options";
import { Playground, type PlaygroundModel } from "./_components/playground";
import type { TextModel } from "./_components/classify-playground";
import type { TensorModel } from "./_components/tensor-playground";

export const metadata = { title: "Playground" };
export const dynamic = "force-dynamic";

type Detail = NonNullable<Awaited<ReturnType<typeof getModel>>>;

/** Versions that can answer (validated; measured or being measured). */
const servable = (m: Detail) => m.versions.filter((v) => v.status === "ready" || v.status === "measuring");

/** Uploaded tensor models with a version that can answer, with the input signature of each version's graph. */
function tensorModels(details: Detail[]): TensorModel[] {
  return details.flatMap((m) => {
    const versions = servable(m).map((v) => ({ version: v.version, traffic_percent: v.traffic_percent, inputs: v.signature.find((s) => s.role === "model")?.inputs ?? v.signature[0]?.inputs ?? [] }));
    return versions.length ? [{ id: m.id, name: m.name, versions }] : [];
  });
}

/** Text classifiers: the built-in language identifiers, and trained models with a version that can answer. */
function textModels(details: Detail[]): TextModel[] {
  return details.flatMap((m) => {
    const versions = servable(m).map((v) => ({ version: v.version, traffic_percent: v.traffic_percent }));
    return m.built_in || versions.length ? [{ id: m.id, name: m.name, family: m.family, builtIn: m.built_in, versions: m.built_in ? [] : versions }] : [];
  });
}

export default async function PlaygroundPage({ searchParams }: { searchParams: Promise<{ model?: string; sample?: string; tab?: string }> }) {
  const { model, sample, tab } = await searchParams;
  const qs = new URLSearchParams(Object.entries({ model, sample, tab }).filter((e): e is [string, string] => !!e[1])).toString();
  await requireUser(`/playground${qs ? `?${qs}` : ""}`);
  const [{ locale }, models] = await Promise.all([getT(), listModels()]);
  const enabled = models.filter((m) => m.enabled);
  const details = async (task: string) => (await Promise.all(enabled.filter((m) => m.task === task).map((m) => getModel(m.id)))).filter((m): m is Detail => m !== null);
  const ref = (kind: "image" | "audio") =>
    samples()
      .filter((s) => s.kind === kind)
      .map((s) => ({ id: s.id, file: s.file, title: locale === "zh" ? s.title.zh : s.title.en }));
  // OCR and VAD pickers list the registry: built-ins and uploaded models of the task alike.
  const fileModels = enabled.flatMap((m): PlaygroundModel[] => (m.task === "ocr" || m.task === "vad" ? [{ id: m.id, task: m.task, name: m.name, default: m.default }] : []));
  return (
    <Playground
      models={fileModels}
      tensorModels={tensorModels(await details("tensor"))}
      textModels={textModels(await details("text"))}
      textAliases={Object.entries(TASK_ALIASES).flatMap(([alias, task]) => (task === "text" ? [alias] : []))}
      samples={{ ocr: ref("image"), vad: ref("audio") }}
      initialModel={model}
      initialSample={sample}
      initialTab={tab}
      maxAudioSeconds={DEFAULT_VAD_OPTIONS.maxSeconds}
    />
  );
}
