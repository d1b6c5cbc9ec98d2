import { requireUser } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { listModels } from "@/lib/api/presenters/models";
import { samples } from "@/lib/models/samples";
import { Playground } from "./_components/playground";

export const metadata = { title: "Playground" };
export const dynamic = "force-dynamic";

export default async function PlaygroundPage({ searchParams }: { searchParams: Promise<{ model?: string; sample?: string }> }) {
  const { model, sample } = await searchParams;
  const qs = new URLSearchParams(Object.entries({ model, sample }).filter((e): e is [string, string] => !!e[1])).toString();
  await requireUser(`/playground${qs ? `?${qs}` : ""}`);
  const [{ locale }, models] = await Promise.all([getT(), listModels()]);
  const ref = (kind: "image" | "audio") =>
    samples()
      .filter((s) => s.kind === kind)
      .map((s) => ({ id: s.id, file: s.file, title: locale === "zh" ? s.title.zh : s.title.en }));
  return (
    <Playground
      models={models.filter((m) => m.enabled).map((m) => ({ id: m.id, task: m.task, name: m.name, default: m.default }))}
      samples={{ ocr: ref("image"), vad: ref("audio") }}
      initialModel={model}
      initialSample={sample}
    />
  );
}
