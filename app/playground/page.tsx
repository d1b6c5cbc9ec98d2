import { requireUser } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { getModel, listModels } from "@/lib/api/presenters/models";
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

export default async function PlaygroundPage({ searchParams }: { searchParams: Promise<{ model?: string; sample?: string }> }) {
  const { model, sample } = await searchParams;
  const qs = new URLSearchParams(Object.entries({ model, sample }).filter((e): e is [string, string] => !!e[1])).toString();
  await requireUser(`/playground${qs ? `?${qs}` : ""}`);
  const [{ locale }, models] = await Promise.all([getT(), listModels()]);
  const enabled = models.filter((m) => m.enabled);
  const ref = (kind: "image" | "audio") =>
    samples()
      .filter((s) => s.kind === kind)
      .map((s) => ({ id: s.id, file: s.file, title: locale === "zh" ? s.title.zh : s.title.en }));
  // OCR and VAD pickers list the registry: built-ins and uploaded models of the task alike.
  const fileModels = enabled.flatMap((m): PlaygroundModel[] => (m.task === "tensor" || m.task === "text" ? [] : [{ id: m.id, task: m.task, name: m.name, default: m.default }]));
  return (
    <Playground
      models={fileModels}
      tensorModels={await tensorModels(enabled.filter((m) => m.task === "tensor").map((m) => m.id))}
      samples={{ ocr: ref("image"), vad: ref("audio") }}
      initialModel={model}
      initialSample={sample}
    />
  );
}
